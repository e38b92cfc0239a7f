package dev.sightline.alerts.anomaly;

import dev.sightline.alerts.anomaly.CostAnomaly.Kind;
import dev.sightline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds cost anomalies without a threshold, each hour against its own {@link CostBaseline}.
 *
 * <p>An hour is flagged as {@link Kind#SAME_TRAFFIC_COST_PER_CALL} when its priced calls are within
 * the traffic tolerance of the baseline's median and its cost per call is at least
 * {@code costPerCallRatio} × the baseline's; otherwise as {@link Kind#COST_SPIKE} when its cost
 * exceeds median + k·max(MAD, madFloor·median) and is at least {@code minRatio} × the median. An
 * hour can be checked once it has ended, so the delay is at most one hour plus the store's ingest lag.
 *
 * <p>A {@link Kind#SLOW_DRIFT} is checked per day: for each of the last {@code driftDays} 24-hour
 * windows, the median of its hours' cost over the median of those hours' baseline medians; the
 * latest must reach {@code driftRatio} and the earlier ones {@code driftFloor}. A rise of 15 % a
 * day is flagged on its fourth day, before any single hour doubles.
 */
public final class CostAnomalyDetector {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration DAY = Duration.ofDays(1);

  private final CostHistory history;
  private final AnomalySettings settings;

  public CostAnomalyDetector(Store store, AnomalySettings settings) {
    this.history = new CostHistory(store);
    this.settings = settings == null ? AnomalySettings.DEFAULTS : settings;
  }

  /** The hour starting at {@code hour} (truncated to the hour), if it is anomalous; empty without enough history. */
  public Optional<CostAnomaly> check(Instant hour) {
    if (hour == null) {
      return Optional.empty();
    }
    Instant h = hour.truncatedTo(ChronoUnit.HOURS);
    Loaded loaded = load(h.minus(lookback()), h.plus(HOUR));
    HourlyCost observed = loaded.byHour.get(h);
    if (observed == null || loaded.start == null) {
      return Optional.empty();
    }
    return CostBaseline.of(h, loaded.byHour, loaded.start, settings.weeks()).flatMap(b -> judge(observed, b));
  }

  /**
   * Every anomalous hour in {@code [since, until)} (bounds truncated to the hour), oldest first,
   * from one read of the store: a backfill, or the markers of a cost chart.
   */
  public List<CostAnomaly> scan(Instant since, Instant until) {
    if (since == null || until == null) {
      return List.of();
    }
    Instant from = since.truncatedTo(ChronoUnit.HOURS);
    Instant to = until.truncatedTo(ChronoUnit.HOURS);
    if (!from.isBefore(to) || Duration.between(from, to).toDays() > 366) {
      return List.of();
    }
    Loaded loaded = load(from.minus(lookback()), to);
    List<CostAnomaly> out = new ArrayList<>();
    if (loaded.start == null) {
      return out;
    }
    for (Instant h = from; h.isBefore(to); h = h.plus(HOUR)) {
      HourlyCost observed = loaded.byHour.get(h);
      CostBaseline.of(h, loaded.byHour, loaded.start, settings.weeks()).flatMap(b -> judge(observed, b))
          .ifPresent(out::add);
    }
    return out;
  }

  /** A slow drift over the days ending at {@code end} (truncated to the hour), if there is one. */
  public Optional<CostAnomaly> checkDrift(Instant end) {
    if (end == null) {
      return Optional.empty();
    }
    Instant e = end.truncatedTo(ChronoUnit.HOURS);
    Instant windowStart = e.minus(DAY.multipliedBy(settings.driftDays()));
    Loaded loaded = load(windowStart.minus(lookback()), e);
    if (loaded.start == null) {
      return Optional.empty();
    }
    Profile lastObserved = null;
    Profile lastExpected = null;
    double lastRatio = 0;
    for (int d = settings.driftDays() - 1; d >= 0; d--) {
      Instant dayEnd = e.minus(DAY.multipliedBy(d));
      List<Double> costs = new ArrayList<>();
      List<Double> medians = new ArrayList<>();
      List<Profile> observed = new ArrayList<>();
      List<Profile> expected = new ArrayList<>();
      for (Instant h = dayEnd.minus(DAY); h.isBefore(dayEnd); h = h.plus(HOUR)) {
        Optional<CostBaseline> b = CostBaseline.of(h, loaded.byHour, loaded.start, settings.weeks());
        if (b.isEmpty()) {
          return Optional.empty();
        }
        HourlyCost o = loaded.byHour.getOrDefault(h, HourlyCost.empty(h));
        costs.add(o.costUsd());
        medians.add(b.get().medianCostUsd());
        observed.add(Profile.of(o));
        expected.add(b.get().expected());
      }
      double base = CostBaseline.median(medians.stream().mapToDouble(x -> x).toArray());
      double now = CostBaseline.median(costs.stream().mapToDouble(x -> x).toArray());
      double ratio = base <= 0 ? 0 : now / base;
      double needed = d == 0 ? settings.driftRatio() : settings.driftFloor();
      if (ratio < needed) {
        return Optional.empty();
      }
      lastRatio = ratio;
      lastObserved = Profile.sum(observed);
      lastExpected = Profile.sum(expected);
    }
    Explanation why = CauseAttribution.explain(lastObserved, lastExpected, "cost/day");
    return Optional.of(new CostAnomaly(Kind.SLOW_DRIFT, e.minus(DAY), e, lastRatio, lastObserved.cost(),
        lastExpected.cost(), why));
  }

  private Optional<CostAnomaly> judge(HourlyCost observed, CostBaseline b) {
    double cost = observed.costUsd();
    double calls = observed.pricedCalls();
    double ratio = b.medianCostUsd() <= 0 ? (cost > 0 ? Double.POSITIVE_INFINITY : 0) : cost / b.medianCostUsd();
    Kind kind = null;
    if (b.medianCalls() > 0 && calls > 0 && b.medianCostPerCallUsd() > 0
        && Math.abs(calls - b.medianCalls()) <= settings.trafficTolerance() * b.medianCalls()
        && cost / calls >= settings.costPerCallRatio() * b.medianCostPerCallUsd()) {
      kind = Kind.SAME_TRAFFIC_COST_PER_CALL;
    } else {
      double spread = Math.max(b.madCostUsd(), settings.madFloor() * b.medianCostUsd());
      if (b.medianCostUsd() > 0 && cost > b.medianCostUsd() + settings.k() * spread && ratio >= settings.minRatio()) {
        kind = Kind.COST_SPIKE;
      }
    }
    if (kind == null) {
      return Optional.empty();
    }
    Explanation why = CauseAttribution.explain(observed, b);
    return Optional.of(new CostAnomaly(kind, observed.hour(), observed.hour().plus(HOUR), ratio, cost,
        b.medianCostUsd(), why));
  }

  private Duration lookback() {
    return Duration.ofDays(7L * settings.weeks());
  }

  private Loaded load(Instant since, Instant until) {
    Map<Instant, HourlyCost> byHour = new HashMap<>();
    Instant start = null;
    for (HourlyCost h : history.hours(since, until)) {
      byHour.put(h.hour(), h);
      if (start == null && h.total().calls() > 0) {
        start = h.hour();
      }
    }
    return new Loaded(byHour, start);
  }

  private record Loaded(Map<Instant, HourlyCost> byHour, Instant start) {}
}
