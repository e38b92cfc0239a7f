package dev.sightline.store;

import java.time.Instant;

/** The aggregates of one time bucket, which starts at {@code time}. */
public record SeriesPoint(Instant time, SummaryRow values) {}
