package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.attrs;
import static dev.sightline.semconv.Spans.normalize;
import static dev.sightline.semconv.Spans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnmappedAndRobustnessTest {
  @Test
  void unmappedKeysAreListedInOrderAndAttributesAreKept() {
    Map<String, Object> a = attrs("z.custom", 1L, "gen_ai.operation.name", "chat", "a.custom", "x",
        "gen_ai.request.temperature", 0.2, "llm.input_messages.0.message.role", "user",
        "gen_ai.prompt.0.content", "hi", "gen_ai.prompt.name", "p", "traceloop.association.properties.customer", "c");
    Span s = normalize(span(a));
    assertThat(s.unmappedAttributes()).containsExactly("z.custom", "a.custom", "gen_ai.request.temperature",
        "traceloop.association.properties.customer");
    assertThat(s.attributes()).isEqualTo(a);
  }

  @Test
  void normalizingIsIdempotent() {
    Span once = normalize(span(attrs("gen_ai.operation.name", "chat", "gen_ai.usage.input_tokens", 3L, "x", 1L)));
    assertThat(normalize(once)).isEqualTo(once);
  }

  @Test
  void oddAndHugeValuesNeverThrow() {
    StringBuilder deep = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      deep.append('[');
    }
    String huge = "x".repeat(2_000_000);
    List<Object> odd = new ArrayList<>();
    odd.add(null);
    odd.add(Map.of("role", 5L));
    Map<String, Object> nulls = new HashMap<>();
    nulls.put("gen_ai.operation.name", "chat");
    nulls.put("gen_ai.request.model", null);
    nulls.put("gen_ai.input.messages", null);
    List<Map<String, Object>> cases = List.of(
        attrs("gen_ai.operation.name", "chat", "gen_ai.input.messages", deep.toString()),
        attrs("gen_ai.operation.name", "chat", "gen_ai.input.messages", huge, "gen_ai.output.messages", odd),
        attrs("gen_ai.operation.name", List.of("chat")),
        attrs("gen_ai.operation.name", "chat", "gen_ai.usage.input_tokens", Double.NaN,
            "gen_ai.usage.output_tokens", Double.POSITIVE_INFINITY, "gen_ai.usage.cache_read.input_tokens", 1e300),
        attrs("gen_ai.operation.name", "chat", "gen_ai.usage.input_tokens", new byte[] {1, 2},
            "gen_ai.response.finish_reasons", Map.of("k", "v"), "langfuse.trace.tags", 7L),
        attrs("gen_ai.operation.name", "chat", "completion_start_time", "9999-99-99T99:99:99Z",
            "gen_ai.response.time_to_first_chunk", "1e999", "ai.response.msToFirstChunk", Long.MIN_VALUE),
        attrs("gen_ai.operation.name", "chat", "llm.input_messages.99999999999.message.role", "user",
            "llm.input_messages.0", "collides", "llm.input_messages.0.message.content", "x",
            "gen_ai.prompt.0.tool_calls.x.name", "n"),
        attrs("openinference.span.kind", "LLM", "input.value", "{\"messages\": 5}", "output.value", "{\"choices\":[1,null]}",
            "llm.invocation_parameters", "{\"stream\": \"yes\""),
        attrs("ai.operationId", "ai.streamText.doStream", "ai.prompt", "{\"system\": [1], \"prompt\": {}}",
            "ai.response.toolCalls", "[{\"toolCallId\":1}]", "ai.prompt.tools", "[5]"),
        attrs("gen_ai.operation.name", "chat", "server.address", "::1", "server.port", "abc",
            "http.response.status_code", 99999L),
        nulls);
    List<SpanEvent> events = List.of(new SpanEvent(null, -1L, Map.of(), List.of(1, 2)),
        new SpanEvent("gen_ai.choice", 0L, Map.of(), "not json"),
        new SpanEvent("gen_ai.user.message", 1L, Map.of(), 12L),
        new SpanEvent("exception", 1L, Map.of("exception.type", List.of())));
    for (Map<String, Object> a : cases) {
      Span raw = Span.received(null, null, null, null, null, 5L, 1L, SpanStatus.ERROR, null, null, null, a, null,
          events);
      assertThatCode(() -> normalize(raw)).as("%s", a.keySet()).doesNotThrowAnyException();
      assertThat(normalize(raw).attributes()).isSameAs(a);
    }
  }

  @Test
  void randomAttributeSoupNeverThrows() {
    Random r = new Random(42);
    String[] keys = {"gen_ai.operation.name", "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens",
        "gen_ai.usage.cache_read.input_tokens", "gen_ai.input.messages", "gen_ai.output.messages",
        "llm.input_messages.0.message.content", "gen_ai.prompt.1.role", "completion_start_time",
        "gen_ai.response.time_to_first_chunk", "gen_ai.system", "server.address", "llm.cost.total",
        "gen_ai.response.finish_reasons", "ai.prompt.messages", "output.value", "gen_ai.tool.definitions"};
    Object[] values = {"chat", "", "[", "{}", "[{}]", "[{\"parts\":5}]", -1L, 0L, 1L, Long.MAX_VALUE, 0.5, -0.0,
        Double.NaN, true, List.of(), List.of(Map.of()), Map.of("a", List.of()), "2024-01-01T00:00:00Z", "api.openai.com"};
    for (int i = 0; i < 3000; i++) {
      Map<String, Object> a = new HashMap<>();
      int n = r.nextInt(8);
      for (int j = 0; j < n; j++) {
        a.put(keys[r.nextInt(keys.length)], values[r.nextInt(values.length)]);
      }
      Span raw = span(a);
      assertThatCode(() -> normalize(raw)).as("%s", a).doesNotThrowAnyException();
    }
  }
}
