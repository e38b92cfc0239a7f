package dev.sightline.store;

import java.util.List;
import java.util.Map;

/**
 * One group's values over time: {@code group} holds the {@code groupBy} labels' values (null where
 * a point had no such label); {@code kind} is {@code gauge}, {@code counter}, {@code histogram},
 * {@code summary} or {@code exponential_histogram}; {@code agg} the aggregation applied; {@code unit}
 * the stored unit, or null. Buckets without data have no value.
 */
public record MetricSeries(Map<String, String> group, String kind, String agg, String unit, List<MetricValue> values) {}
