package dev.sightline.store;

import java.time.Instant;
import java.util.List;

/**
 * A metric name stored in the window: its kind (as {@link MetricSeries#kind}), unit and description
 * (latest), how many series (service + label set) and points it has, when it was last seen, and the
 * services and label keys that occur (sorted).
 */
public record MetricName(String name, String kind, String unit, String description, long series, long points,
    Instant lastSeen, List<String> services, List<String> labelKeys) {}
