package dev.sightline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.model.Content;
import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.semconv.SpanNormalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Personal data in prompts and responses never reaches the store, whichever convention carried it. */
class PiiRedactionTest {
  static final String EMAIL = "jane.doe@example.com";
  static final String CARD = "4111 1111 1111 1111";
  static final String PHONE = "+1 415 555 2671";
  static final String KEY = "sk-proj-Ab3dEf5hIjKlMn0pQrStUvWxYz123456";
  static final List<String> FIXTURES = List.of(EMAIL, CARD, PHONE, KEY);
  static final String T = "0af7651916cd43dd8448eb211c80319c";
  static final String SAY = "Mail " + EMAIL + ", card " + CARD + ", phone " + PHONE + ", key " + KEY;

  static BatchProcessor processor(PiiMode mode) {
    return new BatchProcessor(SpanNormalizer.create(), new CostCalculator(PriceCatalog.bundled()), mode);
  }

  static Span span(String id, Map<String, Object> attrs, List<SpanEvent> events, String statusMessage) {
    return Span.received(T, id, null, "chat gpt-4o", SpanKind.CLIENT, 1_000_000_000L, 2_000_000_000L,
        statusMessage == null ? SpanStatus.UNSET : SpanStatus.ERROR, statusMessage, "svc", "test", attrs,
        Map.of("service.name", "svc"), events);
  }

  /** One batch with PII in OpenInference attributes, OTel GenAI messages, span events and a log body. */
  static TelemetryBatch batchWithPii() throws Exception {
    String json = new ObjectMapper().writeValueAsString(List.of(Map.of("role", "user",
        "parts", List.of(Map.of("type", "text", "content", SAY)))));
    Map<String, Object> openInference = new LinkedHashMap<>();
    openInference.put("openinference.span.kind", "LLM");
    openInference.put("llm.model_name", "gpt-4o");
    openInference.put("llm.provider", "openai");
    openInference.put("llm.input_messages.0.message.role", "user");
    openInference.put("llm.input_messages.0.message.content", SAY);
    openInference.put("llm.output_messages.0.message.content", "Noted " + EMAIL);
    openInference.put("input.value", new ObjectMapper().writeValueAsString(Map.of("messages", List.of(SAY))));
    openInference.put("output.value", "Noted " + EMAIL);
    openInference.put("llm.token_count.prompt", 10L);
    openInference.put("user.id", EMAIL);
    openInference.put("tag.tags", List.of("vip", "phone " + PHONE));
    Map<String, Object> genAi = new LinkedHashMap<>(PipelineTest.llmAttrs());
    genAi.put("gen_ai.input.messages", json);
    genAi.put("gen_ai.prompt.0.content", SAY);
    genAi.put("traceloop.entity.input", SAY);
    genAi.put("app.note", Map.of("nested", List.of(SAY)));
    Span events = span("00000000000000b2", new LinkedHashMap<>(PipelineTest.llmAttrs()),
        List.of(new SpanEvent("gen_ai.content.prompt", 1_500_000_000L, Map.of("gen_ai.prompt", SAY)),
            new SpanEvent("exception", 1_600_000_000L, Map.of("exception.message", "bad card " + CARD), SAY)),
        "failed for " + EMAIL);
    LogRecord userMessage = new LogRecord(1_500_000_000L, 0, T, "00000000000000b2", 9, "INFO", "gen_ai.user.message",
        Map.of("content", SAY), "svc", "test", Map.of("gen_ai.system", "openai"), Map.of());
    LogRecord appLog = new LogRecord(1_500_000_000L, 0, T, null, 9, "INFO", null, "login by " + EMAIL, "svc", "test",
        Map.of("enduser.phone", PHONE), Map.of());
    Score score = new Score(T, "00000000000000b1", "groundedness", 0.2, "unsupported", true,
        "answer says " + EMAIL, Score.SOURCE_EVALUATOR, "groundedness", "1", "{\"sentence\":\"" + CARD + "\"}", 1L);
    return new TelemetryBatch("test", List.of(span("00000000000000b0", openInference, List.of(), null),
        span("00000000000000b1", genAi, List.of(), null), events), List.of(userMessage, appLog), List.of(),
        List.of(score));
  }

  @Test
  void maskModeLeavesNoFixtureAnywhereInTheBatchAndKeepsContentJsonValid() throws Exception {
    BatchProcessor p = processor(PiiMode.MASK);
    TelemetryBatch out = p.process(batchWithPii());
    List<String> strings = strings(out);
    assertThat(strings).isNotEmpty();
    for (String s : strings) {
      for (String pii : FIXTURES) {
        assertThat(s).doesNotContain(pii);
      }
    }
    Content c = out.spans().get(1).llm().content();
    assertThat(c.inputMessagesJson()).contains("[email]", "[card]", "[phone]", "[api-key]");
    new ObjectMapper().readTree(c.inputMessagesJson()); // still JSON
    assertThat(out.spans().get(0).llm().content().inputMessagesJson()).contains("Mail [email], card [card]");
    assertThat(out.spans().get(0).attributes().get("llm.input_messages.0.message.content"))
        .isEqualTo("Mail [email], card [card], phone [phone], key [api-key]");
    assertThat(out.spans().get(0).attributes().get("llm.token_count.prompt")).isEqualTo(10L);
    assertThat(out.spans().get(2).statusMessage()).isEqualTo("failed for [email]");
    assertThat(out.logs().get(1).body()).isEqualTo("login by [email]");
    assertThat(p.piiCounters().snapshot().get("email")).isGreaterThanOrEqualTo(10L);
    assertThat(p.piiCounters().snapshot().get("card")).isGreaterThanOrEqualTo(5L);
    assertThat(p.piiCounters().droppedFields()).isZero();
  }

  @Test
  void dropModeStoresNoContentAndMasksWhatIsLeft() throws Exception {
    BatchProcessor p = processor(PiiMode.DROP);
    TelemetryBatch out = p.process(batchWithPii());
    for (String s : strings(out)) {
      for (String pii : FIXTURES) {
        assertThat(s).doesNotContain(pii);
      }
    }
    for (Span s : out.spans()) {
      if (s.llm() != null) {
        assertThat(s.llm().content()).isEqualTo(Content.NONE);
      }
      assertThat(s.attributes().keySet()).noneMatch(PiiRedaction::isContentKey);
    }
    assertThat(out.spans().get(0).attributes()).containsEntry("llm.token_count.prompt", 10L)
        .doesNotContainKeys("input.value", "output.value", "llm.input_messages.0.message.content");
    assertThat(out.spans().get(1).attributes()).doesNotContainKeys("gen_ai.input.messages",
        "gen_ai.prompt.0.content", "traceloop.entity.input").containsKey("gen_ai.request.model");
    // the GenAI content event and the joined user message are gone; the exception stays, masked
    assertThat(out.spans().get(2).events()).extracting(SpanEvent::name).containsExactly("exception");
    assertThat(out.spans().get(2).events().get(0).attributes().get("exception.message")).isEqualTo("bad card [card]");
    LogRecord userMessage = out.logs().get(0);
    assertThat(userMessage.body()).isNull();
    assertThat(userMessage.attributes()).containsOnlyKeys("gen_ai.system");
    assertThat(out.logs().get(1).body()).isEqualTo("login by [email]");
    assertThat(p.piiCounters().droppedFields()).isGreaterThanOrEqualTo(10L);
  }

  @Test
  void offModeStoresContentAsReceived() throws Exception {
    TelemetryBatch out = processor(PiiMode.OFF).process(batchWithPii());
    assertThat(out.spans().get(0).attributes().get("llm.input_messages.0.message.content")).isEqualTo(SAY);
    assertThat(out.spans().get(1).llm().content().inputMessagesJson()).contains(EMAIL);
  }

  @Test
  void theTwoArgumentConstructorMasks() throws Exception {
    assertThat(PipelineTest.PROCESSOR.piiMode()).isEqualTo(PiiMode.MASK);
    TelemetryBatch out = PipelineTest.PROCESSOR.process(batchWithPii());
    assertThat(out.spans().get(0).attributes().get("output.value")).isEqualTo("Noted [email]");
  }

  @Test
  void aBatchWithoutPiiComesBackWithTheSameRecords() {
    Span clean = span("00000000000000c0", new LinkedHashMap<>(Map.of("input.value", "What is 2 + 2 in v1.2?")),
        List.of(), null);
    BatchProcessor p = processor(PiiMode.MASK);
    TelemetryBatch in = TelemetryBatch.ofSpans("test", List.of(clean));
    Span out = p.process(in).spans().get(0);
    assertThat(out.attributes()).isSameAs(clean.attributes());
    assertThat(p.piiCounters().snapshot().values()).allMatch(v -> v == 0L);
  }

  @Test
  void modesParseFromConfiguration() {
    assertThat(PiiMode.parse(" Drop ")).isEqualTo(PiiMode.DROP);
    assertThat(PiiMode.MASK.wire()).isEqualTo("mask");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PiiMode.parse("redact"))
        .hasMessageContaining("off, mask or drop");
  }

  /** Every string anywhere in the batch: names, attribute values (nested), bodies, content, scores. */
  static List<String> strings(TelemetryBatch b) {
    List<String> out = new ArrayList<>();
    for (Span s : b.spans()) {
      add(out, s.name());
      add(out, s.statusMessage());
      add(out, s.attributes());
      add(out, s.resourceAttributes());
      for (SpanEvent e : s.events()) {
        add(out, e.attributes());
        add(out, e.body());
      }
      if (s.llm() != null) {
        Content c = s.llm().content();
        add(out, List.of(String.valueOf(c.inputMessagesJson()), String.valueOf(c.outputMessagesJson()),
            String.valueOf(c.systemInstructionsJson()), String.valueOf(c.toolDefinitionsJson())));
        add(out, s.llm().context().userId());
        add(out, s.llm().context().sessionId());
        add(out, s.llm().context().route());
        add(out, s.llm().context().tags());
      }
    }
    for (LogRecord r : b.logs()) {
      add(out, r.body());
      add(out, r.attributes());
    }
    for (Score sc : b.scores()) {
      add(out, sc.explanation());
      add(out, sc.detailsJson());
    }
    return out;
  }

  private static void add(List<String> out, Object v) {
    if (v instanceof String s) {
      out.add(s);
    } else if (v instanceof Map<?, ?> m) {
      m.values().forEach(x -> add(out, x));
    } else if (v instanceof List<?> l) {
      l.forEach(x -> add(out, x));
    }
  }
}
