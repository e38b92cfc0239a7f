package dev.sightline.store;

import java.util.List;

/** One group of a time series: its key, its totals over the window and its points, oldest first. */
public record SeriesGroup(String key, SummaryRow total, List<SeriesPoint> points) {}
