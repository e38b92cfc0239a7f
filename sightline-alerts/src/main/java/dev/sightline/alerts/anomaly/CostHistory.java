package dev.sightline.alerts.anomaly;

import dev.sightline.store.CostFigures;
import dev.sightline.store.CostGroup;
import dev.sightline.store.CostPoint;
import dev.sightline.store.CostQuery;
import dev.sightline.store.CostQuery.Dimension;
import dev.sightline.store.CostQuery.Interval;
import dev.sightline.store.CostReport;
import dev.sightline.store.SeriesGroup;
import dev.sightline.store.SeriesPoint;
import dev.sightline.store.SeriesQuery;
import dev.sightline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads hourly cost from the store for a window: one cost query per watched dimension (model,
 * route, user) and one series query for the token counts, folded into one {@link HourlyCost} per hour.
 */
public final class CostHistory {

  /** The dimensions the detector watches and the attribution splits by. */
  public static final List<Dimension> DIMENSIONS = List.of(Dimension.MODEL, Dimension.ROUTE, Dimension.USER);

  private static final int GROUP_LIMIT = 10_000;

  private final Store store;

  public CostHistory(Store store) {
    this.store = store;
  }

  /**
   * Every UTC hour in {@code [since, until)} (bounds truncated to the hour), oldest first, hours
   * without calls included as empty. An empty or reversed window gives an empty list.
   */
  public List<HourlyCost> hours(Instant since, Instant until) {
    if (since == null || until == null) {
      return List.of();
    }
    Instant from = since.truncatedTo(ChronoUnit.HOURS);
    Instant to = until.truncatedTo(ChronoUnit.HOURS);
    if (!from.isBefore(to)) {
      return List.of();
    }
    Map<Instant, CostFigures> totals = new HashMap<>();
    Map<Instant, Map<Dimension, Map<String, CostFigures>>> groups = new HashMap<>();
    for (Dimension d : DIMENSIONS) {
      CostReport report = store.cost(new CostQuery(d, Interval.HOUR, from, to, GROUP_LIMIT));
      if (d == DIMENSIONS.get(0)) {
        for (CostPoint p : report.series()) {
          totals.put(p.start(), p.figures());
        }
      }
      for (CostGroup g : report.groups()) {
        String key = g.key() == null ? HourlyCost.NO_KEY : g.key();
        for (CostPoint p : g.series()) {
          groups.computeIfAbsent(p.start(), h -> new EnumMap<>(Dimension.class))
              .computeIfAbsent(d, x -> new LinkedHashMap<>()).put(key, p.figures());
        }
      }
    }
    Map<Instant, long[]> tokens = new HashMap<>();
    List<SeriesGroup> series = store.series(
        new SeriesQuery(null, from, to, Interval.HOUR.nanos(), 1, false));
    for (SeriesGroup g : series) {
      for (SeriesPoint p : g.points()) {
        tokens.put(p.time(), new long[] {p.values().inputTokens(), p.values().cacheReadTokens()});
      }
    }
    List<HourlyCost> out = new ArrayList<>();
    for (Instant h = from; h.isBefore(to); h = h.plus(Duration.ofHours(1))) {
      CostFigures t = totals.get(h);
      if (t == null) {
        out.add(HourlyCost.empty(h));
        continue;
      }
      long[] tk = tokens.getOrDefault(h, new long[2]);
      out.add(new HourlyCost(h, t, groups.getOrDefault(h, Map.of()), tk[0], tk[1]));
    }
    return out;
  }
}
