package dev.sightline.store;

import java.util.Map;
import java.util.TreeMap;

/**
 * A log-scale histogram of milliseconds whose percentiles are within 1% relative error (the
 * DDSketch layout): bin {@code i} holds values in (γ^(i−1), γ^i] with γ = 1.01/0.99, and stands for
 * 2γ^i/(γ+1). Bins merge by adding counts, which is what lets the summary combine hourly rollups
 * with raw rows.
 */
final class LatencyHistogram {
  static final double RELATIVE_ACCURACY = 0.01;
  private static final double GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
  private static final double LN_GAMMA = Math.log(GAMMA);
  /** The bin for zero and negative values (a clock step can make a duration negative). */
  static final short ZERO_BIN = Short.MIN_VALUE;

  private final TreeMap<Short, Long> counts = new TreeMap<>();
  private long total;

  static short binOf(double ms) {
    if (!(ms > 0)) {
      return ZERO_BIN;
    }
    double i = Math.ceil(Math.log(ms) / LN_GAMMA);
    return (short) Math.max(Short.MIN_VALUE + 1, Math.min(Short.MAX_VALUE, i));
  }

  static double valueOf(short bin) {
    return bin == ZERO_BIN ? 0.0 : 2 * Math.pow(GAMMA, bin) / (GAMMA + 1);
  }

  void add(short bin, long n) {
    counts.merge(bin, n, Long::sum);
    total += n;
  }

  void addAll(LatencyHistogram other) {
    other.counts.forEach(this::add);
  }

  /** The value at quantile q with the same rank rule as linear interpolation, null when empty. */
  Double quantile(double q) {
    if (total <= 0) {
      return null;
    }
    long rank = (long) Math.floor(q * (total - 1));
    long seen = 0;
    for (Map.Entry<Short, Long> e : counts.entrySet()) {
      seen += e.getValue();
      if (seen > rank) {
        return valueOf(e.getKey());
      }
    }
    return valueOf(counts.lastKey());
  }

  Percentiles percentiles() {
    if (total <= 0) {
      return Percentiles.EMPTY;
    }
    return new Percentiles(quantile(0.5), quantile(0.95), quantile(0.99));
  }
}
