package dev.sightline.semconv;

import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small builders for hand-made test spans. */
final class Spans {
  static final long START = 1_700_000_000_000_000_000L;
  static final long END = START + 2_000_000_000L; // a 2 s call

  private Spans() {}

  /** Attributes from alternating key, value arguments, in order. */
  static Map<String, Object> attrs(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static Span span(Map<String, Object> attrs) {
    return span(attrs, List.of(), SpanStatus.UNSET);
  }

  static Span span(Map<String, Object> attrs, List<SpanEvent> events, SpanStatus status) {
    return Span.received("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", null, "test", SpanKind.CLIENT,
        START, END, status, null, "svc", "scope", attrs, Map.of(), events);
  }

  /** A chat span from the given attributes plus {@code gen_ai.operation.name=chat}. */
  static Span chat(Object... kv) {
    Map<String, Object> a = attrs("gen_ai.operation.name", "chat");
    a.putAll(attrs(kv));
    return span(a);
  }

  static Span normalize(Span s) {
    return SpanNormalizer.create().normalize(s);
  }
}
