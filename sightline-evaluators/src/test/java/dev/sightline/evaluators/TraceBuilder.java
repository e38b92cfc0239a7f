package dev.sightline.evaluators;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.util.List;
import java.util.Map;

/** Normalized spans of a small RAG trace, as the pipeline hands them to the store. */
final class TraceBuilder {
  static final long T0 = 1_780_000_000_000_000_000L;
  static final long MS = 1_000_000L;

  private TraceBuilder() {}

  static Span root(String trace, String route) {
    return Span.received(trace, "00000000000000a1", null, route, SpanKind.SERVER, T0, T0 + 3_000 * MS,
        SpanStatus.OK, null, "rag-app", "test", Map.of(), Map.of(), List.of())
        .withNormalized(SpanCategory.WORKFLOW, null, List.of());
  }

  /** An OpenInference retriever span with its documents flattened as OTLP carries them. */
  static Span retrieval(String trace, String... documents) {
    Map<String, Object> a = new java.util.LinkedHashMap<>();
    a.put("openinference.span.kind", "RETRIEVER");
    for (int i = 0; i < documents.length; i++) {
      a.put("retrieval.documents." + i + ".document.id", "doc-" + i);
      a.put("retrieval.documents." + i + ".document.content", documents[i]);
    }
    return Span.received(trace, "00000000000000b1", "00000000000000a1", "vector-search", SpanKind.INTERNAL,
        T0 + 10 * MS, T0 + 200 * MS, SpanStatus.OK, null, "rag-app", "test", a, Map.of(), List.of())
        .withNormalized(SpanCategory.RETRIEVAL, null, List.of());
  }

  static Span llm(String trace, String spanId, String route, String system, String user, String answer,
      CallStatus status) {
    String in = "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":" + json(user) + "}]}]";
    String out = answer == null ? null
        : "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":" + json(answer)
            + "}],\"finish_reason\":\"stop\"}]";
    String sys = system == null ? null : "[{\"type\":\"text\",\"content\":" + json(system) + "}]";
    LlmCall call = new LlmCall("openai", "chat", "gpt-4o-mini", "gpt-4o-mini", false, Usage.reported(100, 0, 0, 0, 20, 0),
        new Timing(T0 + 300 * MS, T0 + 2_000 * MS, null, null, null, null), null,
        new Outcome(status, status == CallStatus.ERROR ? 500 : 200, null, List.of("stop")),
        new CallContext(trace, spanId, "rag-app", route, null, null, null, null, List.of()),
        new Content(in, out, sys, null));
    return Span.received(trace, spanId, "00000000000000a1", "chat gpt-4o-mini", SpanKind.CLIENT, T0 + 300 * MS,
        T0 + 2_000 * MS, status == CallStatus.ERROR ? SpanStatus.ERROR : SpanStatus.OK, null, "rag-app", "test",
        Map.of(), Map.of(), List.of()).withNormalized(SpanCategory.LLM, call, List.of());
  }

  static String json(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
  }
}
