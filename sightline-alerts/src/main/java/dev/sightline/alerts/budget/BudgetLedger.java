package dev.sightline.alerts.budget;

import dev.sightline.model.CallContext;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.CostGroup;
import dev.sightline.store.CostPoint;
import dev.sightline.store.CostQuery;
import dev.sightline.store.CostReport;
import dev.sightline.store.Store;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Each budget's spend: stored calls (read from the store at refresh) plus calls priced but not yet
 * committed, kept per hour of the calls' start so windows roll without a re-read. Thread-safe;
 * {@link #written} and {@link #refresh} belong to the one thread that commits to the store.
 *
 * <p>A batch is counted once: {@link #prepared} puts its calls in pending, {@link #written} moves
 * them to committed, and a refresh (which replaces committed with the store's figures) runs only
 * between commits, so the store never holds a batch that is still pending.
 */
public final class BudgetLedger {
  private static final long HOUR = CostQuery.Interval.HOUR.nanos();
  /** Stores return at most this many groups; a user budget beyond them is counted from memory only. */
  private static final int MAX_GROUPS = 10_000;
  private static final Duration DEFAULT_REFRESH = Duration.ofMinutes(1);

  private final Store store;
  private final List<Budget> budgets;
  private final InstantSource clock;
  private final Duration refreshEvery;
  private final Tally[] tallies;
  private final Map<TelemetryBatch, List<Charge>> pending = new IdentityHashMap<>();
  private final Object commits = new Object();
  private Instant refreshedAt = Instant.MIN;

  public BudgetLedger(Store store, List<Budget> budgets, InstantSource clock) {
    this(store, budgets, clock, DEFAULT_REFRESH);
  }

  /** {@code refreshEvery}: how often rolling windows are re-read from the store (on a commit). */
  public BudgetLedger(Store store, List<Budget> budgets, InstantSource clock, Duration refreshEvery) {
    this.store = store;
    this.budgets = List.copyOf(budgets);
    this.clock = clock;
    this.refreshEvery = refreshEvery;
    this.tallies = new Tally[this.budgets.size()];
    for (int i = 0; i < tallies.length; i++) {
      tallies[i] = new Tally();
    }
  }

  public List<Budget> budgets() {
    return budgets;
  }

  /** Counts a priced batch as pending; called on processor threads before the batch is committed. */
  public void prepared(TelemetryBatch batch) {
    if (budgets.isEmpty()) {
      return; // on every processor thread for every batch: nothing to read when no budget is set
    }
    List<Charge> charges = charges(batch);
    if (charges.isEmpty()) {
      return;
    }
    synchronized (this) {
      pending.put(batch, charges);
      for (Charge c : charges) {
        add(tallies[c.budget].pending, c.hour, c.usd);
      }
    }
  }

  /**
   * Moves committed batches from pending to committed (a batch never prepared is counted now), then
   * re-reads the store when a window rolled or a rolling window's refresh is due.
   */
  public void written(List<TelemetryBatch> batches) {
    if (budgets.isEmpty()) {
      return; // on the committer thread after every commit: nothing to count when no budget is set
    }
    synchronized (commits) {
      // only batches that were never prepared are read here; prepared ones carry their charges
      List<List<Charge>> fresh = new ArrayList<>(batches.size());
      synchronized (this) {
        for (TelemetryBatch b : batches) {
          fresh.add(pending.containsKey(b) ? null : charges(b));
        }
      }
      synchronized (this) {
        for (int i = 0; i < batches.size(); i++) {
          List<Charge> was = pending.remove(batches.get(i));
          for (Charge c : was != null ? was : fresh.get(i)) {
            if (was != null) {
              add(tallies[c.budget].pending, c.hour, c.usd.negate());
            }
            add(tallies[c.budget].committed, c.hour, c.usd);
          }
        }
      }
      if (refreshDue(clock.instant())) {
        refresh();
      }
    }
  }

  /** Forgets pending batches whose commit failed (they will not be stored). */
  public synchronized void discarded(List<TelemetryBatch> batches) {
    for (TelemetryBatch b : batches) {
      List<Charge> was = pending.remove(b);
      if (was != null) {
        for (Charge c : was) {
          add(tallies[c.budget].pending, c.hour, c.usd.negate());
        }
      }
    }
  }

  /**
   * Replaces the committed spend with the store's, per hour, for every budget's current window.
   * Call at start (before ingest) or from the committing thread: a batch committed but not yet
   * {@link #written} would be counted twice.
   */
  public void refresh() {
    synchronized (commits) {
      Instant now = clock.instant();
      Map<CostQuery.Dimension, Long> since = new HashMap<>();
      for (Budget b : budgets) {
        since.merge(dimension(b.scope()), hourOf(b.period().window(now).start()), Math::min);
      }
      Map<CostQuery.Dimension, CostReport> reports = new HashMap<>();
      since.forEach((dim, lo) -> reports.put(dim,
          store.cost(new CostQuery(dim, CostQuery.Interval.HOUR, instant(lo), null, MAX_GROUPS))));
      List<TreeMap<Long, BigDecimal>> fresh = new ArrayList<>();
      for (Budget b : budgets) {
        TreeMap<Long, BigDecimal> hours = new TreeMap<>();
        for (CostPoint p : series(reports.get(dimension(b.scope())), b)) {
          if (p.figures().costUsd() != null) {
            hours.put(nanos(p.start()), p.figures().costUsd());
          }
        }
        fresh.add(hours);
      }
      synchronized (this) {
        for (int i = 0; i < tallies.length; i++) {
          tallies[i].committed = fresh.get(i);
          tallies[i].windowStart = budgets.get(i).period().window(now).start();
        }
        refreshedAt = now;
      }
    }
  }

  /**
   * Null when the call may go ahead, else the first hard budget covering it that is at or over its
   * limit (counted as a refusal).
   */
  public BudgetRefusal admit(String service, String route, String user) {
    Instant now = clock.instant();
    synchronized (this) {
      for (int i = 0; i < tallies.length; i++) {
        Budget b = budgets.get(i);
        if (!b.hard() || !b.covers(service, route, user)) {
          continue;
        }
        Budget.Window w = b.period().window(now);
        BigDecimal spent = spent(i, w);
        if (spent.compareTo(b.limitUsd()) >= 0) {
          tallies[i].refusals++;
          return refusal(b, spent, resetsAt(i, w, spent, now), now);
        }
      }
      return null;
    }
  }

  /** Every budget's standing now, in configuration order. */
  public synchronized List<BudgetStatus> status() {
    Instant now = clock.instant();
    List<BudgetStatus> out = new ArrayList<>();
    for (int i = 0; i < tallies.length; i++) {
      out.add(status(i, now));
    }
    return out;
  }

  /** The budget's cumulative spend from the store and its forecast line; empty for an unknown name. */
  public Optional<BurnDown> burnDown(String name) {
    int i = budgets.stream().map(Budget::name).toList().indexOf(name);
    if (i < 0) {
      return Optional.empty();
    }
    Budget b = budgets.get(i);
    Instant now = clock.instant();
    BudgetStatus st;
    synchronized (this) {
      st = status(i, now);
    }
    Budget.Window w = b.period().window(now);
    boolean hourly = Duration.between(w.start(), b.period().monthly() ? w.end() : now).compareTo(Duration.ofHours(48))
        <= 0;
    CostQuery.Interval interval = hourly ? CostQuery.Interval.HOUR : CostQuery.Interval.DAY;
    long step = interval.nanos();
    long first = interval.bucketOf(nanos(w.start()));
    CostReport report = store.cost(new CostQuery(dimension(b.scope()), interval, instant(first), null, MAX_GROUPS));
    TreeMap<Long, BigDecimal> buckets = new TreeMap<>();
    for (CostPoint p : series(report, b)) {
      if (p.figures().costUsd() != null) {
        buckets.put(nanos(p.start()), p.figures().costUsd());
      }
    }
    List<BurnDown.Point> spent = new ArrayList<>();
    spent.add(new BurnDown.Point(w.start(), BigDecimal.ZERO.setScale(2)));
    BigDecimal cumulative = BigDecimal.ZERO;
    long nowNanos = nanos(now);
    for (long t = first; t + step <= nowNanos; t += step) {
      cumulative = cumulative.add(buckets.getOrDefault(t, BigDecimal.ZERO));
      if (t + step > nanos(w.start())) {
        spent.add(new BurnDown.Point(instant(t + step), usd(cumulative)));
      }
    }
    spent.add(new BurnDown.Point(now, usd(st.spentUsd())));
    Instant end = b.period().monthly() ? w.end() : now.plus(b.period().rolling());
    List<BurnDown.Point> forecast = List.of(new BurnDown.Point(now, usd(st.spentUsd())),
        new BurnDown.Point(end, usd(st.forecastUsd())));
    return Optional.of(new BurnDown(b, w.start(), w.end(), spent, forecast));
  }

  private BudgetStatus status(int i, Instant now) {
    Budget b = budgets.get(i);
    Budget.Window w = b.period().window(now);
    BigDecimal spent = spent(i, w);
    // the last 24 h's rate, from the hour holding now − 24 h (a partial hour counts in full)
    long from24 = hourOf(now.minus(Duration.ofHours(24)));
    BigDecimal last24 = sum(tallies[i].committed, from24, Long.MAX_VALUE)
        .add(sum(tallies[i].pending, from24, Long.MAX_VALUE));
    double rate24 = last24.doubleValue() / Math.max(1, nanos(now) - from24);
    BudgetStatus.ForecastBasis basis;
    BigDecimal forecast;
    if (b.period().monthly()) {
      long elapsed = Math.max(1, nanos(now) - nanos(w.start()));
      double rateWindow = spent.doubleValue() / elapsed;
      basis = rate24 > rateWindow ? BudgetStatus.ForecastBasis.LAST_24H : BudgetStatus.ForecastBasis.WINDOW;
      double left = Math.max(0, nanos(w.end()) - nanos(now));
      forecast = spent.add(BigDecimal.valueOf(Math.max(rate24, rateWindow) * left));
    } else {
      BigDecimal at24 = BigDecimal.valueOf(rate24 * b.period().rolling().toNanos());
      basis = at24.compareTo(spent) > 0 ? BudgetStatus.ForecastBasis.LAST_24H : BudgetStatus.ForecastBasis.WINDOW;
      forecast = spent.max(at24);
    }
    BudgetStatus.State state = spent.compareTo(b.limitUsd()) >= 0 ? BudgetStatus.State.EXHAUSTED
        : spent.multiply(BigDecimal.valueOf(100)).compareTo(b.limitUsd().multiply(BigDecimal.valueOf(b.softPct())))
            >= 0 ? BudgetStatus.State.SOFT : BudgetStatus.State.OK;
    return new BudgetStatus(b, spent.setScale(6, RoundingMode.HALF_EVEN), pct(spent, b.limitUsd()), w.start(),
        b.period().monthly() ? w.end() : now, forecast.setScale(6, RoundingMode.HALF_EVEN),
        pct(forecast, b.limitUsd()), basis, state, tallies[i].refusals);
  }

  /** Committed plus pending spend in the window; the hour holding a rolling window's start counts in full. */
  private BigDecimal spent(int i, Budget.Window w) {
    long lo = hourOf(w.start());
    long hi = budgets.get(i).period().monthly() ? nanos(w.end()) : Long.MAX_VALUE;
    return sum(tallies[i].committed, lo, hi).add(sum(tallies[i].pending, lo, hi));
  }

  /**
   * When the budget frees up: a month's end, or for a rolling window the end of the hour whose
   * calls, once aged out, bring the spend under the limit.
   */
  private Instant resetsAt(int i, Budget.Window w, BigDecimal spent, Instant now) {
    Budget b = budgets.get(i);
    if (b.period().monthly()) {
      return w.end();
    }
    TreeMap<Long, BigDecimal> merged = new TreeMap<>(tallies[i].committed.tailMap(hourOf(w.start()), true));
    tallies[i].pending.tailMap(hourOf(w.start()), true).forEach((h, usd) -> add(merged, h, usd));
    BigDecimal left = spent;
    for (var e : merged.entrySet()) {
      left = left.subtract(e.getValue());
      if (left.compareTo(b.limitUsd()) < 0) {
        return instant(e.getKey() + HOUR).plus(b.period().rolling());
      }
    }
    return now.plus(b.period().rolling());
  }

  private BudgetRefusal refusal(Budget b, BigDecimal spent, Instant resetsAt, Instant now) {
    long seconds = Math.max(1, (Duration.between(now, resetsAt).toMillis() + 999) / 1000);
    String message = "Budget '" + b.name() + "' (" + b.scopeLabel() + "): $" + usd(spent).toPlainString() + " of $"
        + b.limitUsd().toPlainString() + " per " + b.period().wire() + " spent; new calls are refused until "
        + resetsAt + ".";
    return new BudgetRefusal(b.name(), b.scope(), b.scopeValue(), usd(spent), b.limitUsd(), resetsAt,
        Duration.ofSeconds(seconds), message);
  }

  private boolean refreshDue(Instant now) {
    synchronized (this) {
      for (int i = 0; i < tallies.length; i++) {
        Budget.Period p = budgets.get(i).period();
        if (p.monthly() ? !p.window(now).start().equals(tallies[i].windowStart)
            : Duration.between(refreshedAt, now).compareTo(refreshEvery) >= 0) {
          return true;
        }
      }
      return false;
    }
  }

  /** The priced calls of a batch, per budget covering them and per hour of their start. */
  private List<Charge> charges(TelemetryBatch batch) {
    Map<Charge, BigDecimal> sums = new HashMap<>();
    for (Span span : batch.spans()) {
      LlmCall call = span.llm();
      if (call == null || call.cost() == null || call.cost().status() != CostStatus.PRICED
          || call.cost().totalUsd() == null) {
        continue;
      }
      CallContext ctx = call.context();
      // the same attribution as the stored row: the call's own service, else its span's
      String service = ctx != null && ctx.service() != null ? ctx.service() : span.service();
      String route = ctx == null ? null : ctx.route();
      String user = ctx == null ? null : ctx.userId();
      long hour = Math.floorDiv(span.startEpochNanos(), HOUR) * HOUR;
      for (int i = 0; i < budgets.size(); i++) {
        if (budgets.get(i).covers(service, route, user)) {
          sums.merge(new Charge(i, hour, BigDecimal.ZERO), call.cost().totalUsd(), BigDecimal::add);
        }
      }
    }
    List<Charge> out = new ArrayList<>(sums.size());
    sums.forEach((k, usd) -> out.add(new Charge(k.budget, k.hour, usd)));
    return out;
  }

  private static List<CostPoint> series(CostReport report, Budget b) {
    if (b.scope() == Budget.Scope.PROJECT) {
      return report.series();
    }
    for (CostGroup g : report.groups()) {
      if (b.scopeValue().equals(g.key())) {
        return g.series();
      }
    }
    return List.of();
  }

  private static CostQuery.Dimension dimension(Budget.Scope scope) {
    return switch (scope) {
      case PROJECT, SERVICE -> CostQuery.Dimension.SERVICE;
      case ROUTE -> CostQuery.Dimension.ROUTE;
      case USER -> CostQuery.Dimension.USER;
    };
  }

  private static void add(NavigableMap<Long, BigDecimal> hours, long hour, BigDecimal usd) {
    BigDecimal v = hours.merge(hour, usd, BigDecimal::add);
    if (v.signum() == 0) {
      hours.remove(hour);
    }
  }

  private static BigDecimal sum(NavigableMap<Long, BigDecimal> hours, long lo, long hi) {
    BigDecimal s = BigDecimal.ZERO;
    for (BigDecimal v : hours.subMap(lo, true, hi, false).values()) {
      s = s.add(v);
    }
    return s;
  }

  private static double pct(BigDecimal usd, BigDecimal limit) {
    return usd.multiply(BigDecimal.valueOf(100)).divide(limit, 1, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** Cents at least, exact to the micro-dollar: small budgets (a few cents) must read right too. */
  static BigDecimal usd(BigDecimal v) {
    return v.setScale(Math.max(2, Math.min(6, v.stripTrailingZeros().scale())), RoundingMode.HALF_UP);
  }

  private static long hourOf(Instant t) {
    return Math.floorDiv(nanos(t), HOUR) * HOUR;
  }

  private static long nanos(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
  }

  private static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /** A budget's spend in one hour; as a map key only budget and hour count (usd is zero). */
  private record Charge(int budget, long hour, BigDecimal usd) {}

  /** Per-hour spend of one budget. */
  private static final class Tally {
    TreeMap<Long, BigDecimal> committed = new TreeMap<>();
    final TreeMap<Long, BigDecimal> pending = new TreeMap<>();
    Instant windowStart;
    long refusals;
  }
}
