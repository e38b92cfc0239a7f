package dev.sightline.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Splits a trace's wall time by span category, counting overlapping time once: at every instant
 * the time goes to the deepest span running then (ties to the one that started last), so an 8 s
 * request with 2 s of retrieval, 1 s of tool call and 5 s of generation reads 2 s + 1 s + 5 s, and
 * the parent's own time is what its children do not cover.
 */
public final class TraceBreakdown {
  private TraceBreakdown() {}

  /** Milliseconds per category (categories with no time are left out), for the given spans. */
  public static Map<SpanCategory, Double> of(List<Span> spans) {
    Map<SpanCategory, Double> out = new EnumMap<>(SpanCategory.class);
    if (spans.isEmpty()) {
      return out;
    }
    Map<String, Span> byId = new HashMap<>();
    for (Span s : spans) {
      byId.put(s.spanId(), s);
    }
    Map<String, Integer> depth = new HashMap<>();
    for (Span s : spans) {
      depth.put(s.spanId(), depthOf(s, byId, depth));
    }
    // Sweep over the sorted start/end boundaries; between two boundaries the winner is fixed.
    List<long[]> bounds = new ArrayList<>();
    for (int i = 0; i < spans.size(); i++) {
      Span s = spans.get(i);
      if (s.endEpochNanos() > s.startEpochNanos()) {
        bounds.add(new long[] {s.startEpochNanos(), 1, i});
        bounds.add(new long[] {s.endEpochNanos(), 0, i});
      }
    }
    bounds.sort(Comparator.<long[]>comparingLong(b -> b[0]).thenComparingLong(b -> b[1]));
    Comparator<Integer> precedence = Comparator
        .<Integer>comparingInt(i -> depth.get(spans.get(i).spanId()))
        .thenComparingLong(i -> spans.get(i).startEpochNanos())
        .thenComparingInt(i -> i);
    java.util.TreeSet<Integer> active = new java.util.TreeSet<>(precedence);
    long prev = Long.MIN_VALUE;
    for (long[] b : bounds) {
      if (!active.isEmpty() && b[0] > prev) {
        Span winner = spans.get(active.last());
        SpanCategory c = winner.category() == null ? SpanCategory.OTHER : winner.category();
        out.merge(c, (b[0] - prev) / 1_000_000.0, Double::sum);
      }
      prev = b[0];
      int idx = (int) b[2];
      if (b[1] == 1) {
        active.add(idx);
      } else {
        active.remove(idx);
      }
    }
    return out;
  }

  private static int depthOf(Span s, Map<String, Span> byId, Map<String, Integer> memo) {
    Integer known = memo.get(s.spanId());
    if (known != null) {
      return known;
    }
    int d = 0;
    Span cur = s;
    java.util.Set<String> seen = new java.util.HashSet<>();
    while (cur.parentSpanId() != null && byId.containsKey(cur.parentSpanId()) && seen.add(cur.spanId())) {
      cur = byId.get(cur.parentSpanId());
      d++;
    }
    return d;
  }
}
