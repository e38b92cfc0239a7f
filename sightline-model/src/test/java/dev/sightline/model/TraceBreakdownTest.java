package dev.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where the time went: overlapping spans count once, to the deepest span running. */
class TraceBreakdownTest {
  static final long S = 1_000_000_000L;

  static Span span(String id, String parent, long start, long end, SpanCategory c) {
    return Span.received("t", id, parent, id, SpanKind.INTERNAL, start, end, SpanStatus.OK, null, "svc", null,
        Map.of(), Map.of(), List.of()).withNormalized(c, null, List.of());
  }

  @Test
  void eightSecondsAreTwoPlusOnePlusFive() {
    Map<SpanCategory, Double> b = TraceBreakdown.of(List.of(
        span("root", null, 0, 8 * S, SpanCategory.HTTP),
        span("ret", "root", 0, 2 * S, SpanCategory.RETRIEVAL),
        span("tool", "root", 2 * S, 3 * S, SpanCategory.TOOL),
        span("llm", "root", 3 * S, 8 * S, SpanCategory.LLM)));
    assertThat(b).containsOnly(Map.entry(SpanCategory.RETRIEVAL, 2000.0), Map.entry(SpanCategory.TOOL, 1000.0),
        Map.entry(SpanCategory.LLM, 5000.0));
  }

  @Test
  void parallelChildrenCountOnceAndGapsGoToTheParent() {
    // Two retrievals in parallel from 1 s to 3 s (one ends at 2 s), the root alone for the rest.
    Map<SpanCategory, Double> b = TraceBreakdown.of(List.of(
        span("root", null, 0, 4 * S, SpanCategory.HTTP),
        span("a", "root", 1 * S, 3 * S, SpanCategory.RETRIEVAL),
        span("b", "root", 1 * S, 2 * S, SpanCategory.RETRIEVAL)));
    assertThat(b.get(SpanCategory.RETRIEVAL)).isEqualTo(2000.0);
    assertThat(b.get(SpanCategory.HTTP)).isEqualTo(2000.0);
    assertThat(b.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(4000.0);
  }

  @Test
  void nestedSpansGoToTheDeepest() {
    Map<SpanCategory, Double> b = TraceBreakdown.of(List.of(
        span("root", null, 0, 10 * S, SpanCategory.AGENT),
        span("llm", "root", 1 * S, 9 * S, SpanCategory.LLM),
        span("tool", "llm", 2 * S, 3 * S, SpanCategory.TOOL)));
    assertThat(b).containsOnly(Map.entry(SpanCategory.AGENT, 2000.0), Map.entry(SpanCategory.LLM, 7000.0),
        Map.entry(SpanCategory.TOOL, 1000.0));
  }

  @Test
  void missingParentsAndEmptyTraces() {
    assertThat(TraceBreakdown.of(List.of())).isEmpty();
    Map<SpanCategory, Double> b = TraceBreakdown.of(List.of(span("orphan", "gone", 0, S, null)));
    assertThat(b).containsOnly(Map.entry(SpanCategory.OTHER, 1000.0));
  }
}
