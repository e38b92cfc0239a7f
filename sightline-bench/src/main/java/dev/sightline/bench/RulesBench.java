package dev.sightline.bench;

import dev.sightline.alerts.rules.AlertRule;
import dev.sightline.alerts.rules.Evaluation;
import dev.sightline.alerts.rules.Observation;
import dev.sightline.alerts.rules.RuleEvaluator;
import dev.sightline.alerts.rules.RuleParser;
import dev.sightline.alerts.rules.RuleException;
import dev.sightline.model.LlmCall;
import dev.sightline.store.CallQuery;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.GroupBy;
import dev.sightline.store.SeriesQuery;
import dev.sightline.store.Store;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryRow;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * 1,000 varied alert rules evaluated over the last hour of the summary benchmark's store (10 M calls
 * over 7 days), in process: each round once rule by rule ({@link RuleEvaluator#evaluate}) and once as
 * a batch ({@link RuleEvaluator#evaluateAll}), timed and counted in store queries.
 */
public final class RulesBench {
  private static final String[] FIGURES = {"cost_per_hour", "cost_per_call", "tokens", "calls", "error_rate_4xx",
      "error_rate_5xx", "latency_p95_ms", "ttft_p95_ms", "tpot_p95_ms"};
  private static final GroupBy[] DIMS = {GroupBy.MODEL, GroupBy.PROVIDER, GroupBy.SERVICE, GroupBy.ROUTE};
  private static final String[] WINDOWS = {"5m", "15m", "1h"};
  private static final Set<String> QUERIES = Set.of("summary", "series", "cost", "quality", "metricSeries");

  public static void main(String[] args) throws Exception {
    long calls = Long.parseLong(arg(args, "--calls", "10000000"));
    int ruleCount = Integer.parseInt(arg(args, "--rules", "1000"));
    int rounds = Math.max(1, Integer.parseInt(arg(args, "--rounds", "5")));
    int perRuleRounds = Math.max(1, Integer.parseInt(arg(args, "--per-rule-rounds", "1")));
    boolean asStored = Arrays.asList(args).contains("--as-stored");
    Path summaryDir = Path.of("bench-data/summary-" + calls);
    Path dataDir = Path.of(arg(args, "--data-dir", asStored ? summaryDir.toString() : "bench-data/rules-" + calls));
    Report report = new Report("rules");
    report.line("load average before: " + loadAverage());
    long fill0 = System.nanoTime();
    SummaryBench.fill(report, summaryDir, calls);
    if (!asStored) {
      byStartTime(report, summaryDir, dataDir);
    }
    report.line(String.format("store ready in %.0f s (filled and laid out once; later runs reuse %s)",
        (System.nanoTime() - fill0) / 1e9, dataDir));
    report.line("layout: " + (asStored ? "as the summary benchmark wrote it (every hour's calls in every row group)"
        : "calls in start-time order, as ingest writes them"));
    try (DuckDbStore store = DuckDbStore.open(dataDir)) {
      // the newest call, not the clock: a store filled days ago still has a full last hour
      List<LlmCall> newest = store.calls(new CallQuery(null, null, null, null, null, null, null, 1));
      Instant now = newest.isEmpty() ? Instant.now()
          : Instant.ofEpochSecond(0, newest.get(0).timing().startEpochNanos()).plusSeconds(1);
      long lastHour = store.series(new SeriesQuery(null, now.minus(Duration.ofHours(1)), now,
          Duration.ofHours(1).toNanos(), 1, false)).stream().mapToLong(g -> g.total().calls()).sum();
      report.line(String.format("evaluated at %s (newest call + 1 s): %,d calls in the last hour, %,d stored", now,
          lastHour, store.callCount()));
      List<AlertRule> rules = rules(store, now, ruleCount);
      report.line(describe(rules));

      AtomicInteger asked = new AtomicInteger();
      RuleEvaluator evaluator = new RuleEvaluator(counting(store, asked));
      long w0 = System.nanoTime();
      evaluator.evaluateAll(rules, now); // not counted: JIT and DuckDB's caches
      report.line(String.format("first (cold) evaluateAll round: %,.0f ms, %d store queries",
          (System.nanoTime() - w0) / 1e6, asked.getAndSet(0)));
      // rule by rule takes minutes a round on a large store, so it gets fewer rounds; its first round's
      // answers are the reference that every evaluateAll round must equal
      double[] perRule = new double[perRuleRounds];
      List<Evaluation> reference = null;
      int perRuleQueries = 0;
      for (int i = 0; i < perRuleRounds; i++) {
        asked.set(0);
        long t0 = System.nanoTime();
        List<Evaluation> got = new ArrayList<>(rules.size());
        for (AlertRule r : rules) {
          got.add(evaluator.evaluate(r, now));
        }
        perRule[i] = (System.nanoTime() - t0) / 1e6;
        perRuleQueries = asked.get();
        reference = reference == null ? got : reference;
        System.err.printf("per rule round %d: %.0f ms%n", i + 1, perRule[i]);
      }
      double[] together = new double[rounds];
      int togetherQueries = 0;
      for (int i = 0; i < rounds; i++) {
        asked.set(0);
        long t0 = System.nanoTime();
        List<Evaluation> got = evaluator.evaluateAll(rules, now);
        together[i] = (System.nanoTime() - t0) / 1e6;
        togetherQueries = asked.get();
        if (!got.equals(reference)) {
          throw new IllegalStateException("evaluateAll differs from evaluate per rule");
        }
        System.err.printf("evaluateAll round %d: %.0f ms%n", i + 1, together[i]);
      }
      long failed = reference.stream().filter(Evaluation::failed).count();
      long observations = reference.stream().mapToLong(e -> e.observations().size()).sum();
      long breached = reference.stream().flatMap(e -> e.observations().stream()).filter(Observation::breached).count();
      report.line(String.format("answers: every evaluateAll round equals evaluate per rule; %,d observations, %,d"
          + " breached, %d rules failed", observations, breached, failed));
      report.line(line("evaluate per rule", perRule, perRuleQueries, rules.size()));
      report.line(line("evaluateAll      ", together, togetherQueries, rules.size()));
      report.line(String.format("speed-up (medians): %.1f×; the default evaluation interval is 60 s",
          median(perRule) / median(together)));
    }
    report.line("load average after: " + loadAverage());
    report.save();
  }

  /**
   * A copy of the summary store with its calls in start-time order. The summary benchmark spreads each
   * write batch over the whole week, so every hour's calls sit in every row group and a "last hour"
   * query reads all 10 M rows; real ingest stores calls roughly as they start (as the reprice benchmark
   * lays out its copy).
   */
  private static void byStartTime(Report report, Path source, Path dataDir) throws Exception {
    Path db = dataDir.resolve(DuckDbStore.FILE_NAME);
    if (Files.exists(db)) {
      return;
    }
    Files.createDirectories(dataDir);
    long t0 = System.nanoTime();
    Path tmp = dataDir.resolve(DuckDbStore.FILE_NAME + ".part");
    Files.copy(source.resolve(DuckDbStore.FILE_NAME), tmp, StandardCopyOption.REPLACE_EXISTING);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + tmp); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE llm_calls_by_start AS SELECT * FROM llm_calls ORDER BY start_ns");
      st.execute("DROP TABLE llm_calls");
      st.execute("ALTER TABLE llm_calls_by_start RENAME TO llm_calls");
    }
    Files.move(tmp, db);
    report.line(String.format("copied %s in start-time order to %s in %.0f s", source, dataDir,
        (System.nanoTime() - t0) / 1e9));
  }

  /**
   * Rules whose filters name groups that exist in the store; mostly thresholds on the same few
   * queries, as a real rule set is (one rule per service and route, or per model, at several severities).
   */
  static List<AlertRule> rules(Store store, Instant now, int count) throws RuleException {
    Map<GroupBy, List<String>> keys = new EnumMap<>(GroupBy.class);
    for (GroupBy d : DIMS) {
      keys.put(d, store.summary(new SummaryQuery(d, now.minus(Duration.ofHours(1)), now, SummaryQuery.Sort.CALLS, 50,
          false)).stream().map(SummaryRow::key).filter(k -> k != null).toList());
    }
    SplittableRandom rnd = new SplittableRandom(14);
    List<AlertRule> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String figure = FIGURES[rnd.nextInt(FIGURES.length)];
      String window = WINDOWS[rnd.nextInt(WINDOWS.length)];
      StringBuilder json = new StringBuilder("{\"id\":\"r").append(i).append("\",\"figure\":\"").append(figure)
          .append("\",\"window\":\"").append(window).append('"');
      int shape = rnd.nextInt(10);
      GroupBy dim = DIMS[rnd.nextInt(DIMS.length)];
      List<String> values = keys.get(dim);
      String d = dim.name().toLowerCase(Locale.ROOT);
      if (shape < 4) { // grouped
        json.append(",\"groupBy\":\"").append(d).append('"');
      } else if (shape < 8 && !values.isEmpty()) { // one group: filtered, or grouped and filtered by the same
        if (shape < 6) {
          json.append(",\"groupBy\":\"").append(d).append('"');
        }
        json.append(",\"filter\":{\"").append(d).append("\":\"").append(escape(values.get(rnd.nextInt(values.size()))))
            .append("\"}");
      } // else everything, ungrouped
      if (rnd.nextInt(5) == 0) {
        json.append(",\"condition\":\"increase_pct > ").append(25 * (1 + rnd.nextInt(8))).append(" vs 1d\"");
      } else {
        json.append(",\"condition\":\"> ").append(threshold(figure, rnd)).append('"');
      }
      json.append(",\"severity\":\"").append(rnd.nextBoolean() ? "warning" : "critical").append("\"}");
      out.add(RuleParser.fromJson(json.toString()));
    }
    return out;
  }

  private static String threshold(String figure, SplittableRandom rnd) {
    return switch (figure) {
      case "cost_per_hour" -> String.valueOf(1 + rnd.nextInt(500));
      case "cost_per_call" -> "0.0" + (1 + rnd.nextInt(9));
      case "tokens" -> String.valueOf(100_000 * (1 + rnd.nextInt(500)));
      case "calls" -> String.valueOf(1_000 * (1 + rnd.nextInt(50)));
      case "error_rate_4xx", "error_rate_5xx" -> "0.0" + (1 + rnd.nextInt(9));
      case "ttft_p95_ms" -> String.valueOf(200 + 50 * rnd.nextInt(20));
      case "tpot_p95_ms" -> String.valueOf(5 + rnd.nextInt(50));
      default -> String.valueOf(1_000 + 500 * rnd.nextInt(16));
    };
  }

  private static String describe(List<AlertRule> rules) {
    Map<String, Integer> byFigure = new java.util.TreeMap<>();
    int grouped = 0;
    int filtered = 0;
    int increase = 0;
    for (AlertRule r : rules) {
      byFigure.merge(r.figure().wire(), 1, Integer::sum);
      grouped += r.groupBy() != null ? 1 : 0;
      filtered += r.filter().isEmpty() ? 0 : 1;
      increase += r.condition().baseline() != null ? 1 : 0;
    }
    return String.format("%,d rules: %s; %d grouped, %d filtered, %d increase_pct vs 1d; windows 5m/15m/1h",
        rules.size(), byFigure, grouped, filtered, increase);
  }

  private static String line(String what, double[] ms, int queries, int rules) {
    double[] s = Report.sorted(ms);
    return String.format("%s: median %,.0f ms per round of %,d rules (min %,.0f, max %,.0f, %d rounds), %,d store queries"
        + " per round", what, median(ms), rules, s[0], s[s.length - 1], s.length, queries);
  }

  private static double median(double[] ms) {
    double[] s = Report.sorted(ms);
    return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  }

  /** The store, counting the queries the evaluator makes of it. */
  private static Store counting(Store store, AtomicInteger asked) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (QUERIES.contains(method.getName())) {
            asked.incrementAndGet();
          }
          try {
            return method.invoke(store, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
