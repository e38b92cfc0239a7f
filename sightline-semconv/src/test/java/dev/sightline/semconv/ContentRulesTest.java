package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.attrs;
import static dev.sightline.semconv.Spans.chat;
import static dev.sightline.semconv.Spans.normalize;
import static dev.sightline.semconv.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Messages from every source end up in OTel GenAI's JSON message shape. */
class ContentRulesTest {
  private static final String CANONICAL =
      "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"hi\"}]}]";

  private static JsonNode json(String s) throws Exception {
    return Fixtures.JSON.readTree(s);
  }

  private static LlmCall call(Map<String, Object> a, SpanEvent... events) {
    Map<String, Object> all = attrs("gen_ai.operation.name", "chat");
    all.putAll(a);
    return normalize(span(all, List.of(events), SpanStatus.UNSET)).llm();
  }

  @Test
  void genAiJsonStringInCanonicalShapeIsKeptAsSent() {
    assertThat(normalize(chat("gen_ai.input.messages", CANONICAL)).llm().content().inputMessagesJson())
        .isEqualTo(CANONICAL);
  }

  @Test
  void genAiStructuredValue() throws Exception {
    Map<String, Object> part = attrs("type", "text", "content", "hi");
    Map<String, Object> msg = attrs("role", "user", "parts", List.of(part));
    Content c = normalize(chat("gen_ai.input.messages", List.of(msg))).llm().content();
    assertThat(json(c.inputMessagesJson())).isEqualTo(json(CANONICAL));
  }

  @Test
  void malformedJsonIsKeptAsATextPart() throws Exception {
    Content c = normalize(chat("gen_ai.input.messages", "[{\"role\": \"user\", \"parts\": [",
        "gen_ai.output.messages", "plain answer", "gen_ai.system_instructions", "{oops",
        "gen_ai.tool.definitions", "[not json")).llm().content();
    assertThat(json(c.inputMessagesJson()).get(0).get("parts").get(0).get("content").asText())
        .isEqualTo("[{\"role\": \"user\", \"parts\": [");
    assertThat(json(c.outputMessagesJson()).get(0).get("role").asText()).isEqualTo("assistant");
    assertThat(json(c.outputMessagesJson()).get(0).get("parts").get(0).get("content").asText())
        .isEqualTo("plain answer");
    assertThat(json(c.systemInstructionsJson()).get(0).get("content").asText()).isEqualTo("{oops");
    assertThat(json(c.toolDefinitionsJson()).get(0).get("content").asText()).isEqualTo("[not json");
  }

  @Test
  void openAiShapedMessagesAreConverted() throws Exception {
    String openAi = "[{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
        + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\","
        + "\"content\":\"42\"}]";
    JsonNode in = json(normalize(chat("gen_ai.input.messages", openAi)).llm().content().inputMessagesJson());
    assertThat(in.get(0).get("parts").get(0).toString())
        .isEqualTo("{\"type\":\"tool_call\",\"id\":\"c1\",\"name\":\"f\",\"arguments\":\"{}\"}");
    assertThat(in.get(1).get("parts").get(0).toString())
        .isEqualTo("{\"type\":\"tool_call_response\",\"id\":\"c1\",\"response\":\"42\"}");
  }

  @Test
  void precedence_genAiThenOpenInferenceThenLegacyThenEvents() {
    SpanEvent ev = new SpanEvent("gen_ai.user.message", Spans.START, Map.of(), Map.of("content", "from event"));
    Map<String, Object> a = attrs("gen_ai.input.messages", CANONICAL,
        "llm.input_messages.0.message.role", "user", "llm.input_messages.0.message.content", "from openinference",
        "gen_ai.prompt.0.role", "user", "gen_ai.prompt.0.content", "from legacy");
    assertThat(call(a, ev).content().inputMessagesJson()).isEqualTo(CANONICAL);
    a.remove("gen_ai.input.messages");
    assertThat(call(a, ev).content().inputMessagesJson()).contains("from openinference");
    a.remove("llm.input_messages.0.message.role");
    a.remove("llm.input_messages.0.message.content");
    assertThat(call(a, ev).content().inputMessagesJson()).contains("from legacy");
    a.clear();
    assertThat(call(a, ev).content().inputMessagesJson()).contains("from event");
  }

  @Test
  void openInferenceFlattenedMessagesInIndexOrder() throws Exception {
    LlmCall c = call(attrs(
        "llm.input_messages.10.message.role", "user", "llm.input_messages.10.message.content", "eleventh",
        "llm.input_messages.2.message.role", "system", "llm.input_messages.2.message.content", "third",
        "llm.output_messages.0.message.role", "assistant",
        "llm.output_messages.0.message.tool_calls.0.tool_call.id", "t1",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.name", "lookup",
        "llm.output_messages.0.message.tool_calls.0.tool_call.function.arguments", "{\"q\":1}"));
    JsonNode in = json(c.content().inputMessagesJson());
    assertThat(in.get(0).get("parts").get(0).get("content").asText()).isEqualTo("third");
    assertThat(in.get(1).get("parts").get(0).get("content").asText()).isEqualTo("eleventh");
    assertThat(json(c.content().outputMessagesJson()).get(0).get("parts").get(0).get("name").asText())
        .isEqualTo("lookup");
  }

  @Test
  void legacyIndexedPromptAndCompletion() throws Exception {
    LlmCall c = call(attrs("gen_ai.prompt.0.role", "system", "gen_ai.prompt.0.content", "be brief",
        "gen_ai.prompt.1.role", "user", "gen_ai.prompt.1.content", "hello",
        "gen_ai.completion.0.role", "assistant", "gen_ai.completion.0.content", "hi",
        "gen_ai.completion.0.finish_reason", "stop",
        "gen_ai.completion.0.tool_calls.0.id", "x", "gen_ai.completion.0.tool_calls.0.name", "f",
        "gen_ai.completion.0.tool_calls.0.arguments", "{}"));
    assertThat(json(c.content().inputMessagesJson()).size()).isEqualTo(2);
    JsonNode out = json(c.content().outputMessagesJson()).get(0);
    assertThat(out.get("finish_reason").asText()).isEqualTo("stop");
    assertThat(out.get("parts").get(1).get("type").asText()).isEqualTo("tool_call");
    assertThat(c.outcome().finishReasons()).containsExactly("stop");
  }

  @Test
  void eventsFromLogRecordBodiesAndSpanEventAttributesReadTheSame() throws Exception {
    SpanEvent fromLog = new SpanEvent("gen_ai.user.message", Spans.START, Map.of(), Map.of("content", "q?"));
    SpanEvent fromSpan = new SpanEvent("gen_ai.user.message", Spans.START, Map.of("content", "q?"));
    SpanEvent choiceLog = new SpanEvent("gen_ai.choice", Spans.START, Map.of(), Map.of("index", 0L,
        "finish_reason", "stop", "message", Map.of("content", "a!")));
    SpanEvent choiceJsonBody = new SpanEvent("gen_ai.choice", Spans.START, Map.of(),
        "{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"content\":\"a!\"}}");
    LlmCall a = call(Map.of(), fromLog, choiceLog);
    LlmCall b = call(Map.of(), fromSpan, choiceJsonBody);
    assertThat(json(a.content().inputMessagesJson())).isEqualTo(json(b.content().inputMessagesJson()));
    assertThat(json(a.content().outputMessagesJson())).isEqualTo(json(b.content().outputMessagesJson()));
    assertThat(a.content().inputMessagesJson())
        .isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"q?\"}]}]");
    assertThat(a.outcome().finishReasons()).containsExactly("stop");
  }

  @Test
  void toolMessageEventBecomesAToolCallResponse() throws Exception {
    SpanEvent tool = new SpanEvent("gen_ai.tool.message", Spans.START, Map.of(), Map.of("content", "72F", "id", "c9"));
    JsonNode part = json(call(Map.of(), tool).content().inputMessagesJson()).get(0).get("parts").get(0);
    assertThat(part.get("type").asText()).isEqualTo("tool_call_response");
    assertThat(part.get("id").asText()).isEqualTo("c9");
  }

  @Test
  void operationDetailsEventCarriesStructuredMessages() throws Exception {
    Map<String, Object> msg = attrs("role", "user", "parts", List.of(attrs("type", "text", "content", "yo")));
    SpanEvent details = new SpanEvent("gen_ai.client.inference.operation.details", Spans.START,
        attrs("gen_ai.input.messages", List.of(msg), "gen_ai.system_instructions",
            List.of(attrs("type", "text", "content", "sys")),
            "gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[],\"finish_reason\":\"length\"}]"));
    LlmCall c = call(Map.of(), details);
    assertThat(json(c.content().inputMessagesJson()).get(0).get("parts").get(0).get("content").asText()).isEqualTo("yo");
    assertThat(json(c.content().systemInstructionsJson()).get(0).get("content").asText()).isEqualTo("sys");
    assertThat(c.outcome().finishReasons()).containsExactly("length");
  }

  @Test
  void vercelPromptMessagesAndResponse() throws Exception {
    LlmCall c = call(attrs("ai.prompt.messages",
        "[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool-call\",\"toolCallId\":\"a\",\"toolName\":\"w\","
            + "\"input\":{\"city\":\"Oslo\"}}]},{\"role\":\"tool\",\"content\":[{\"type\":\"tool-result\","
            + "\"toolCallId\":\"a\",\"toolName\":\"w\",\"output\":{\"type\":\"text\",\"value\":\"cold\"}}]}]",
        "ai.response.text", "Cold.", "ai.response.finishReason", "stop",
        "ai.prompt.tools", List.of("{\"type\":\"function\",\"name\":\"w\",\"inputSchema\":{\"type\":\"object\"}}")));
    JsonNode in = json(c.content().inputMessagesJson());
    assertThat(in.get(0).get("parts").get(0).get("type").asText()).isEqualTo("tool_call");
    assertThat(in.get(1).get("parts").get(0).get("type").asText()).isEqualTo("tool_call_response");
    assertThat(json(c.content().outputMessagesJson()).get(0).get("parts").get(0).get("content").asText())
        .isEqualTo("Cold.");
    assertThat(json(c.content().toolDefinitionsJson()).get(0).get("parameters").get("type").asText())
        .isEqualTo("object");
    assertThat(c.outcome().finishReasons()).containsExactly("stop");
  }

  @Test
  void noContentAnywhereIsContentNone() {
    assertThat(normalize(chat("gen_ai.request.model", "m")).llm().content()).isEqualTo(Content.NONE);
  }
}
