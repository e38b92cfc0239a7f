package dev.sightline.model;

import java.util.List;
import java.util.Map;

/**
 * One metric data point. Gauges and sums use {@code value}; histograms and summaries use
 * {@code count}, {@code sum} and, for explicit-bucket histograms, the bounds and bucket counts.
 * {@code delta} marks OTLP delta temporality (the point counts only what happened since
 * {@code startEpochNanos}); every other point of a sum or histogram is cumulative.
 */
public record MetricPoint(
    String name,
    String description,
    String unit,
    MetricType type,
    long timeEpochNanos,
    long startEpochNanos,
    String service,
    Map<String, Object> attributes,
    Double value,
    Long count,
    Double sum,
    List<Double> bucketBounds,
    List<Long> bucketCounts,
    boolean monotonic,
    boolean delta) {

  public MetricPoint {
    attributes = attributes == null ? Map.of() : attributes;
    bucketBounds = bucketBounds == null ? List.of() : bucketBounds;
    bucketCounts = bucketCounts == null ? List.of() : bucketCounts;
  }

  /** A cumulative (or gauge) point. */
  public MetricPoint(String name, String description, String unit, MetricType type, long timeEpochNanos,
      long startEpochNanos, String service, Map<String, Object> attributes, Double value, Long count,
      Double sum, List<Double> bucketBounds, List<Long> bucketCounts, boolean monotonic) {
    this(name, description, unit, type, timeEpochNanos, startEpochNanos, service, attributes, value, count,
        sum, bucketBounds, bucketCounts, monotonic, false);
  }
}
