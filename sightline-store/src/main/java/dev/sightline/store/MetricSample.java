package dev.sightline.store;

import java.time.Instant;
import java.util.Map;

/**
 * The latest point of one series (metric name + service + label set): for gauges and sums the value,
 * for histograms and summaries the observation count (cumulative as stored). Labels as strings.
 */
public record MetricSample(String name, String service, Map<String, String> labels, String kind, Instant time,
    double value) {}
