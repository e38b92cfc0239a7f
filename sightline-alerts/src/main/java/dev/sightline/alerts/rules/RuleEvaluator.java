package dev.sightline.alerts.rules;

import dev.sightline.store.CostFigures;
import dev.sightline.store.CostGroup;
import dev.sightline.store.CostQuery;
import dev.sightline.store.CostReport;
import dev.sightline.store.GroupBy;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.Percentiles;
import dev.sightline.store.QualityQuery;
import dev.sightline.store.QualityRow;
import dev.sightline.store.SeriesGroup;
import dev.sightline.store.SeriesQuery;
import dev.sightline.store.Store;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryRow;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Computes a rule's figure per group over [now − window, now) from the store, and for increase
 * rules the same figure over the window one day or one week earlier, and says which groups breach.
 */
public final class RuleEvaluator {
  /** Most groups one rule reads: the store's own cap on a summary or cost query. */
  static final int MAX_GROUPS = 10_000;
  private static final BigDecimal HOUR_NANOS = BigDecimal.valueOf(Duration.ofHours(1).toNanos());
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private final Store store;

  public RuleEvaluator(Store store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  /** The rule's observations at {@code now}; a store that cannot answer gives a failed evaluation, not a throw. */
  public Evaluation evaluate(AlertRule rule, Instant now) {
    return evaluate(rule, now, new QueryRound(store));
  }

  /**
   * Every rule's evaluation at {@code now}, one per rule in the given order, each equal to what
   * {@link #evaluate} gives. Rules that need the same store query (same figure family, window, grouping,
   * score or metric, baseline window) share one answer: a thousand rules that differ mostly in their
   * thresholds cost a few dozen queries. A query that fails fails only the rules that need it.
   */
  public List<Evaluation> evaluateAll(List<AlertRule> rules, Instant now) {
    if (rules == null) {
      return List.of();
    }
    QueryRound round = new QueryRound(store);
    List<Evaluation> out = new ArrayList<>(rules.size());
    for (AlertRule rule : rules) {
      out.add(rule == null ? new Evaluation(null, now, List.of(), "the rule is missing")
          : evaluate(rule, now, round));
    }
    return out;
  }

  private Evaluation evaluate(AlertRule rule, Instant now, QueryRound round) {
    List<String> problems = RuleParser.scopeProblems(rule);
    if (rule.window() == null || rule.condition() == null || rule.figure() == null || !problems.isEmpty()) {
      return new Evaluation(rule.id(), now, List.of(), problems.isEmpty() ? "the rule is incomplete"
          : String.join("; ", problems));
    }
    try {
      Instant since = now.minus(rule.window());
      Map<String, BigDecimal> current = values(round, rule, since, now);
      Condition c = rule.condition();
      List<Observation> out = new ArrayList<>();
      if (c.baseline() == null) {
        current.forEach((k, v) -> out.add(new Observation(rule.id(), k, v, null, c.comparison().test(v, c.value()))));
      } else {
        Duration back = c.baseline().offset();
        Map<String, BigDecimal> before = values(round, rule, since.minus(back), now.minus(back));
        current.forEach((k, v) -> {
          BigDecimal b = before.get(k);
          BigDecimal pct = increasePct(v, b);
          out.add(new Observation(rule.id(), k, v, b, pct != null && c.comparison().test(pct, c.value())));
        });
      }
      return new Evaluation(rule.id(), now, out, null);
    } catch (RuntimeException e) {
      return new Evaluation(rule.id(), now, List.of(), "the store could not evaluate rule " + rule.id() + ": "
          + e.getMessage());
    }
  }

  /** Change from {@code baseline} to {@code value} in percent; null without a non-zero baseline. */
  static BigDecimal increasePct(BigDecimal value, BigDecimal baseline) {
    if (baseline == null || baseline.signum() == 0) {
      return null;
    }
    return value.subtract(baseline).multiply(HUNDRED).divide(baseline.abs(), MathContext.DECIMAL64);
  }

  /** The figure per group key over [since, until), only the groups the filter keeps and that have it. */
  private static Map<String, BigDecimal> values(QueryRound round, AlertRule rule, Instant since, Instant until) {
    GroupBy dim = RuleParser.queryDimension(rule);
    String wanted = dim == null ? null : rule.filter().get(dim);
    Map<String, BigDecimal> out = new LinkedHashMap<>();
    switch (rule.figure().source()) {
      case SUMMARY -> {
        boolean percentiles = switch (rule.figure()) {
          case LATENCY_P95_MS, TTFT_P95_MS, TPOT_P95_MS -> true;
          default -> false;
        };
        if (dim == null) {
          // the summary always groups (by model when asked for none); the series' total is every call at once,
          // and a one-bucket-per-window step keeps it a handful of buckets
          long step = Math.max(rule.window().toNanos(), Duration.ofMinutes(1).toNanos());
          for (SeriesGroup g : round.series(new SeriesQuery(null, since, until, step, 1, percentiles))) {
            put(out, rule, null, null, summaryFigure(rule.figure(), g.total()));
          }
        } else {
          for (SummaryRow r : round.summary(new SummaryQuery(dim, since, until, SummaryQuery.Sort.CALLS, MAX_GROUPS,
              percentiles))) {
            put(out, rule, r.key(), wanted, summaryFigure(rule.figure(), r));
          }
        }
      }
      case COST -> {
        CostReport report = round.cost(new CostQuery(dim == null ? null : CostQuery.Dimension.valueOf(dim.name()),
            CostQuery.Interval.HOUR, since, until, MAX_GROUPS));
        if (dim == null) {
          put(out, rule, null, null, costFigure(rule, report.totals()));
        } else {
          for (CostGroup g : report.groups()) {
            put(out, rule, g.key(), wanted, costFigure(rule, g.totals()));
          }
        }
      }
      case QUALITY -> {
        for (QualityRow r : round.quality(new QualityQuery(dim, rule.measure(), since, until, null))) {
          if (rule.measure().equals(r.name()) && r.flaggedRate() != null) {
            put(out, rule, r.key(), wanted, BigDecimal.valueOf(r.flaggedRate()));
          }
        }
      }
      case METRIC -> {
        boolean byService = rule.groupBy() == GroupBy.SERVICE;
        for (MetricSeries s : round.metricSeries(new MetricQuery(List.of(rule.measure()),
            rule.filter().get(GroupBy.SERVICE), Map.of(), byService ? List.of("service") : List.of(), since, until,
            rule.window(), rule.agg()))) {
          if (!s.values().isEmpty()) {
            // the step is the window, so there is one bucket; the last is the latest should the store split it
            double v = s.values().get(s.values().size() - 1).value();
            if (Double.isFinite(v)) {
              put(out, rule, byService ? s.group().get("service") : null, null, BigDecimal.valueOf(v));
            }
          }
        }
      }
    }
    return out;
  }

  /** Keeps the group the filter wants; an ungrouped rule filtered by one dimension reports under a null key. */
  private static void put(Map<String, BigDecimal> out, AlertRule rule, String key, String wanted, BigDecimal value) {
    if (value != null && (wanted == null || wanted.equals(key))) {
      out.put(rule.groupBy() == null ? null : key, value);
    }
  }

  private static BigDecimal summaryFigure(AlertFigure f, SummaryRow r) {
    if (r.calls() == 0) {
      return null;
    }
    return switch (f) {
      case CALLS -> BigDecimal.valueOf(r.calls());
      case TOKENS -> BigDecimal.valueOf(r.inputTokens() + r.outputTokens());
      case ERROR_RATE_4XX -> rate(r.errors4xx(), r.calls());
      case ERROR_RATE_5XX -> rate(r.errors5xx(), r.calls());
      case LATENCY_P95_MS -> p95(r.latencyMs());
      case TTFT_P95_MS -> p95(r.ttftMs());
      case TPOT_P95_MS -> p95(r.tpotMs());
      default -> throw new IllegalStateException(f + " is not a summary figure");
    };
  }

  private static BigDecimal costFigure(AlertRule rule, CostFigures f) {
    if (f.costUsd() == null) {
      return null; // only unpriced calls: unknown, never $0
    }
    if (rule.figure() == AlertFigure.COST_PER_CALL) {
      return f.costPerCallUsd();
    }
    return f.costUsd().multiply(HOUR_NANOS).divide(BigDecimal.valueOf(rule.window().toNanos()),
        CostFigures.AVERAGE_SCALE, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }

  private static BigDecimal rate(long part, long calls) {
    return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(calls), MathContext.DECIMAL64);
  }

  private static BigDecimal p95(Percentiles p) {
    return p == null || p.p95() == null || !Double.isFinite(p.p95()) ? null : BigDecimal.valueOf(p.p95());
  }
}
