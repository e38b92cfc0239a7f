package dev.sightline.store;

import java.util.List;

/** One group's cost in the window ({@code key} null for calls without that attribute) and its series. */
public record CostGroup(String key, CostFigures totals, List<CostPoint> series) {}
