package dev.sightline.store;

/** p50 / p95 / p99 in milliseconds; each null when there were no values. */
public record Percentiles(Double p50, Double p95, Double p99) {
  public static final Percentiles EMPTY = new Percentiles(null, null, null);
}
