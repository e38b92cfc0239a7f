package dev.sightline.store;

import java.time.Instant;

/** One time bucket of one score name: the overview's quality chart. Fields as in {@link QualityRow}. */
public record QualityPoint(Instant time, String name, long evaluated, long flagged, Double flaggedRate,
    Double meanValue) {}
