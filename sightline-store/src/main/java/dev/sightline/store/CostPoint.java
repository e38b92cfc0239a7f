package dev.sightline.store;

import java.time.Instant;

/** One time bucket of a cost series: the calls that started in {@code [start, start + interval)}. */
public record CostPoint(Instant start, CostFigures figures) {}
