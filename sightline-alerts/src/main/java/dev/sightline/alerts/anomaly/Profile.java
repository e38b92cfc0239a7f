package dev.sightline.alerts.anomaly;

import dev.sightline.store.CostFigures;
import dev.sightline.store.CostQuery.Dimension;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Cost of a stretch of time in doubles, so that hours can be summed and averaged into an expected
 * hour; the store's sums stay exact, only the comparison is approximate.
 */
record Profile(double calls, double cost, double[] buckets, double inputTokens, double cacheReadTokens,
    Map<Dimension, Map<String, double[]>> groups) {

  /** Names of {@link #buckets}, in order. */
  static final List<String> BUCKETS = List.of("input", "cache-read", "cache-write", "output", "reasoning");

  static Profile of(HourlyCost h) {
    CostFigures t = h.total();
    double[] b = {usd(t.inputUsd()), usd(t.cacheReadUsd()), usd(t.cacheWriteUsd()), usd(t.outputUsd()),
        usd(t.reasoningUsd())};
    Map<Dimension, Map<String, double[]>> g = new EnumMap<>(Dimension.class);
    h.groups().forEach((d, keys) -> {
      Map<String, double[]> m = new HashMap<>();
      keys.forEach((k, f) -> m.put(k, new double[] {f.pricedCalls(), usd(f.costUsd())}));
      g.put(d, m);
    });
    return new Profile(t.pricedCalls(), usd(t.costUsd()), b, h.inputTokens(), h.cacheReadTokens(), g);
  }

  static Profile sum(List<Profile> parts) {
    double calls = 0;
    double cost = 0;
    double in = 0;
    double cached = 0;
    double[] b = new double[BUCKETS.size()];
    Map<Dimension, Map<String, double[]>> g = new EnumMap<>(Dimension.class);
    for (Profile p : parts) {
      calls += p.calls;
      cost += p.cost;
      in += p.inputTokens;
      cached += p.cacheReadTokens;
      for (int i = 0; i < b.length; i++) {
        b[i] += p.buckets[i];
      }
      p.groups.forEach((d, keys) -> keys.forEach((k, v) -> {
        double[] acc = g.computeIfAbsent(d, x -> new HashMap<>()).computeIfAbsent(k, x -> new double[2]);
        acc[0] += v[0];
        acc[1] += v[1];
      }));
    }
    return new Profile(calls, cost, b, in, cached, g);
  }

  static Profile mean(List<Profile> parts) {
    return sum(parts).scaled(parts.isEmpty() ? 0 : 1.0 / parts.size());
  }

  Profile scaled(double f) {
    double[] b = buckets.clone();
    for (int i = 0; i < b.length; i++) {
      b[i] *= f;
    }
    Map<Dimension, Map<String, double[]>> g = new EnumMap<>(Dimension.class);
    groups.forEach((d, keys) -> {
      Map<String, double[]> m = new HashMap<>();
      keys.forEach((k, v) -> m.put(k, new double[] {v[0] * f, v[1] * f}));
      g.put(d, m);
    });
    return new Profile(calls * f, cost * f, b, inputTokens * f, cacheReadTokens * f, g);
  }

  /** Part of the input tokens read from the cache, or -1 without input tokens. */
  double cachedInputShare() {
    return inputTokens <= 0 ? -1 : cacheReadTokens / inputTokens;
  }

  /** Part of the input-side cost (input, cache read, cache write) that was cache reads, or -1. */
  double cacheReadCostShare() {
    double inputSide = buckets[0] + buckets[1] + buckets[2];
    return inputSide <= 0 ? -1 : buckets[1] / inputSide;
  }

  private static double usd(BigDecimal v) {
    return v == null ? 0 : v.doubleValue();
  }
}
