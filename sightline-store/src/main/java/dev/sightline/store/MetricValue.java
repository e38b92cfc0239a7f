package dev.sightline.store;

import java.time.Instant;

/** A bucket's value: {@code time} is the bucket's start. */
public record MetricValue(Instant time, double value) {}
