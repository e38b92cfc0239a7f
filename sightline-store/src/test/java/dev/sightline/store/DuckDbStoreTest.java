package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What only the DuckDB engine has: files, locks, schema, rollups (its conformance runs in DuckDb*Test). */
class DuckDbStoreTest extends StoreConformanceSuite {

  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }

  private static List<Integer> versions(Path db) throws Exception {
    List<Integer> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
      while (rs.next()) {
        out.add(rs.getInt(1));
      }
    }
    return out;
  }

  @Test
  void createsTheDatabaseFileInTheDataDirectory() {
    assertThat(dir.resolve("sightline.duckdb")).exists();
    assertThat(((DuckDbStore) store).file()).isEqualTo(dir.resolve("sightline.duckdb").toAbsolutePath());
  }

  @Test
  void threadsSetsDuckDbsThreadsAndOpenWithoutKeepsItsDefault() throws Exception {
    for (int n : new int[] {1, 3}) {
      try (DuckDbStore s = DuckDbStore.open(dir.resolve("threads-" + n), n)) {
        assertThat(threadsSetting(s.writerForTests())).isEqualTo(n);
      }
    }
    try (Connection plain = DriverManager.getConnection("jdbc:duckdb:")) {
      assertThat(threadsSetting(((DuckDbStore) store).writerForTests())).isEqualTo(threadsSetting(plain));
    }
    assertThatThrownBy(() -> DuckDbStore.open(dir.resolve("bad"), -1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static long threadsSetting(Connection c) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('threads')")) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }

  @Test
  void createsMissingDataDirectories() {
    Path nested = dir.resolve("a/b/c");
    try (DuckDbStore s = DuckDbStore.open(nested)) {
      assertThat(nested.resolve(DuckDbStore.FILE_NAME)).exists();
    }
  }

  @Test
  void recordsEveryAppliedSchemaVersion() throws Exception {
    store.close();
    store = null;
    assertThat(versions(dir.resolve(DuckDbStore.FILE_NAME))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    assertThat(Schema.latestVersion()).isEqualTo(8);
  }

  @Test
  void migratesAnOlderDatabaseOnOpenAndKeepsItsData() throws Exception {
    store.close();
    Path old = dir.resolve("old");
    try (DuckDbStore v1 = DuckDbStore.open(old, new DuckDbStore.Tuning(1_000_000, 0, 1, 10))) {
      String t = traceId(1);
      v1.write(List.of(TelemetryBatch.ofSpans("test", List.of(llmSpan(t, spanId(1), null, "svc",
          call(t, spanId(1), "openai", "m", "svc", "r", T0, T0 + 100 * MS, null, 1, 1, BigDecimal.ONE,
              CallStatus.OK))))));
    }
    assertThat(versions(old.resolve(DuckDbStore.FILE_NAME))).containsExactly(1);
    try (DuckDbStore latest = DuckDbStore.open(old, new DuckDbStore.Tuning(1, 0, Schema.latestVersion(), 10))) {
      assertThat(latest.callCount()).isEqualTo(1);
      SummaryRow row = latest.summary(new SummaryQuery(GroupBy.MODEL, null, null)).get(0);
      assertThat(row.calls()).isEqualTo(1);
      assertThat(row.latencyMs().p50()).isCloseTo(100.0, within(1.0));
    }
    assertThat(versions(old.resolve(DuckDbStore.FILE_NAME))).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
    store = DuckDbStore.open(dir);
  }

  @Test
  void refusesADatabaseWithANewerSchema() throws Exception {
    store.close();
    store = null;
    Path db = dir.resolve(DuckDbStore.FILE_NAME);
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");
    }
    assertThatThrownBy(() -> DuckDbStore.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99")
        .hasMessageContaining("newer than this Sightline understands (8)");
    // and the refusal released the file
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db)) {
      assertThat(c.isValid(1)).isTrue();
    }
  }

  @Test
  void aDatabaseLockedByAnotherProcessIsReportedWithThatProcess() throws Exception {
    store.close();
    store = null;
    String java = ProcessHandle.current().info().command().orElse("java");
    Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream()));
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        // skip the JVM's warnings
      }
      assertThat(line).isEqualTo("ready");
      assertThatThrownBy(() -> DuckDbStore.open(dir))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("is locked by process " + holder.pid())
          .hasMessageContaining("different data directory");
    } finally {
      holder.getOutputStream().close();
      if (!holder.waitFor(30, TimeUnit.SECONDS)) {
        holder.destroyForcibly();
      }
    }
    store = DuckDbStore.open(dir);
  }

  @Test
  void aSecondOpenInTheSameProcessIsRefused() {
    assertThatThrownBy(() -> DuckDbStore.open(dir))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("already open in this process");
  }

  @Test
  void aDataDirectoryThatIsAFileIsRefusedClearly() throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> DuckDbStore.open(file))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void readsRunWhileTheWriterWrites() throws Exception {
    List<Thread> readers = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int r = 0; r < 4; r++) {
      Thread th = new Thread(() -> {
        try {
          for (int i = 0; i < 30; i++) {
            store.summary(new SummaryQuery(GroupBy.MODEL, null, null));
            store.traces(new TraceQuery(null, null, null, 10));
          }
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      readers.add(th);
      th.start();
    }
    for (int w = 0; w < 30; w++) {
      String t = traceId(10_000 + w);
      write(llmSpan(t, spanId(1), null, "svc", call(t, spanId(1), "openai", "m", "svc", "r", T0 + w * MS,
          T0 + w * MS + 10 * MS, null, 1, 1, BigDecimal.ONE, CallStatus.OK)));
    }
    for (Thread th : readers) {
      th.join();
    }
    assertThat(errors).isEmpty();
    assertThat(store.callCount()).isEqualTo(30);
  }

  /**
   * Users have no hourly histograms: over a large window the summary by user computes exact
   * percentiles for the groups it returns, and only those.
   */
  @Test
  void userSummaryOverALargeWindowHasExactPercentilesForTheReturnedGroups() {
    store.close();
    store = DuckDbStore.open(dir, new DuckDbStore.Tuning(5, 0, Schema.latestVersion(), 50));
    List<Span> spans = new ArrayList<>();
    String[] users = {"ann", "ann", "ann", "bob", "bob", "cy"};
    long[] latencies = {100, 300, 200, 50, 70, 10};
    for (int i = 0; i < users.length; i++) {
      String t = traceId(30_000 + i);
      long start = T0 + i * 1_000 * MS;
      LlmCall base = call(t, spanId(1), "openai", "m", "svc", "r", start, start + latencies[i] * MS, null, 1, 1,
          BigDecimal.ONE, CallStatus.OK);
      LlmCall withUser = new LlmCall(base.provider(), base.operation(), base.requestModel(), null, false, base.usage(),
          base.timing(), base.cost(), base.outcome(), new dev.sightline.model.CallContext(t, spanId(1), "svc", "r",
              null, users[i], null, null, List.of()), base.content());
      spans.add(llmSpan(t, spanId(1), null, "svc", withUser));
    }
    store.write(List.of(TelemetryBatch.ofSpans("test", spans)));
    List<SummaryRow> rows = store.summary(new SummaryQuery(GroupBy.USER, null, null, SummaryQuery.Sort.CALLS, 2));
    assertThat(rows).extracting(SummaryRow::key).containsExactly("ann", "bob");
    assertThat(rows.get(0).latencyMs().p50()).isCloseTo(200.0, within(1e-9));
    assertThat(rows.get(0).latencyMs().p95()).isCloseTo(cont(0.95, 100, 200, 300), within(1e-9));
    assertThat(rows.get(1).latencyMs().p50()).isCloseTo(60.0, within(1e-9));
  }

  /**
   * With rolls every few calls and percentiles from histograms only, the summary must still give
   * exact counts and sums and percentiles within 1% of the true rank's value, for windows that cut
   * through hours, including calls whose route arrived after they were rolled up.
   */
  @Test
  void rollupsAgreeWithTheRawCalls() {
    checkRollupsAgree(false);
  }

  /** Once a caller maintains, writes leave the rollups to it: acknowledgements never wait for a fold. */
  @Test
  void writesLeaveTheRollupsToTheCallerOnceItMaintains() {
    store.close();
    store = DuckDbStore.open(dir, new DuckDbStore.Tuning(5, 0, Schema.latestVersion(), 50));
    store.maintain(); // nothing due yet: takes the upkeep over
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String t = traceId(40_000 + i);
      spans.add(llmSpan(t, spanId(1), null, "svc", call(t, spanId(1), "openai", "m", "svc", "r", T0, T0 + MS, null, 1,
          1, BigDecimal.ONE, CallStatus.OK)));
    }
    store.write(List.of(TelemetryBatch.ofSpans("test", spans)));
    assertThat(((DuckDbStore) store).rolledUpToSeq()).isZero();
    store.maintain();
    assertThat(((DuckDbStore) store).rolledUpToSeq()).isPositive();
    assertThat(store.summary(new SummaryQuery(GroupBy.MODEL, null, null))).singleElement()
        .satisfies(r -> assertThat(r.calls()).isEqualTo(10));
  }

  /** The upkeep checkpoints the WAL into the file on its own connection; the data is all there after a reopen. */
  @Test
  void theUpkeepCheckpointsTheWalInTheBackground() throws Exception {
    store.close();
    // any WAL is worth a checkpoint here
    store = DuckDbStore.open(dir, new DuckDbStore.Tuning(1_000_000, 0, Schema.latestVersion(), 50, 1));
    store.maintain();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String t = traceId(50_000 + i);
      spans.add(llmSpan(t, spanId(1), null, "svc", call(t, spanId(1), "openai", "m", "svc", "r", T0, T0 + MS, null, 1,
          1, BigDecimal.ONE, CallStatus.OK)));
    }
    store.write(List.of(TelemetryBatch.ofSpans("test", spans)));
    java.nio.file.Path wal = dir.resolve(DuckDbStore.FILE_NAME + ".wal");
    long before = java.nio.file.Files.size(wal);
    assertThat(before).isPositive();
    store.maintain();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (java.nio.file.Files.exists(wal) && java.nio.file.Files.size(wal) >= before && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(java.nio.file.Files.exists(wal) ? java.nio.file.Files.size(wal) : 0L).isLessThan(before);
    store.close();
    store = DuckDbStore.open(dir);
    assertThat(store.callCount()).isEqualTo(2_000);
  }

  /** The same when the writer's caller does the upkeep after each write (as the pipeline does). */
  @Test
  void rollupsAgreeWithTheRawCallsWhenTheCallerMaintains() {
    checkRollupsAgree(true);
  }


  private void checkRollupsAgree(boolean upkeepByCaller) {
    store.close();
    store = DuckDbStore.open(dir, new DuckDbStore.Tuning(37, 0, Schema.latestVersion(), 50));
    Random rnd = new Random(42);
    record Row(String model, String route, long start, double latencyMs, boolean error, BigDecimal cost) {}
    List<Row> rows = new ArrayList<>();
    Map<String, String> lateRoots = new HashMap<>();
    String[] models = {"gpt-4o", "claude", "llama"};
    for (int w = 0; w < 40; w++) {
      List<Span> spans = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        int n = w * 25 + i;
        String t = traceId(20_000 + n);
        long start = T0 + (long) (rnd.nextDouble() * 3 * 3_600_000) * MS;
        long latency = 1 + (long) Math.exp(rnd.nextDouble() * 9) * MS / 1_000 * 1_000;
        String model = models[rnd.nextInt(3)];
        boolean error = rnd.nextInt(10) == 0;
        BigDecimal cost = model.equals("llama") ? null : new BigDecimal(rnd.nextInt(100_000)).movePointLeft(9);
        boolean late = n % 7 == 0;
        String route = "route-" + (n % 4);
        LlmCall c = call(t, spanId(2), "p", model, "svc", late ? null : route, start, start + latency, 5 * MS, 10, 20,
            cost, error ? CallStatus.ERROR : CallStatus.OK);
        spans.add(llmSpan(t, spanId(2), spanId(1), "svc", c));
        if (late) {
          lateRoots.put(t, route);
        }
        rows.add(new Row(model, route, start, latency / 1e6, error, cost));
      }
      store.write(List.of(TelemetryBatch.ofSpans("test", spans)));
      if (upkeepByCaller) {
        store.maintain();
      }
    }
    List<Span> roots = new ArrayList<>();
    lateRoots.forEach((t, route) -> roots.add(span(t, spanId(1), null, route, "svc", T0, T0 + MS, SpanStatus.OK, null)));
    store.write(List.of(TelemetryBatch.ofSpans("test", roots)));
    if (upkeepByCaller) {
      store.maintain();
    }

    Instant t0 = Instant.parse("2025-01-15T10:00:00Z");
    List<Instant[]> windows = List.of(new Instant[] {null, null},
        new Instant[] {t0.plusSeconds(1800), t0.plusSeconds(9000)},
        new Instant[] {t0.plusSeconds(3600), t0.plusSeconds(7200)},
        new Instant[] {t0.plusSeconds(100), null});
    for (Instant[] win : windows) {
      long lo = win[0] == null ? Long.MIN_VALUE : DuckDbStore.nanos(win[0], 0);
      long hi = win[1] == null ? Long.MAX_VALUE : DuckDbStore.nanos(win[1], 0);
      for (GroupBy g : List.of(GroupBy.MODEL, GroupBy.ROUTE)) {
        Map<String, List<Row>> expected = new HashMap<>();
        for (Row r : rows) {
          if (r.start() >= lo && r.start() < hi) {
            expected.computeIfAbsent(g == GroupBy.MODEL ? r.model() : r.route(), k -> new ArrayList<>()).add(r);
          }
        }
        List<SummaryRow> got = store.summary(new SummaryQuery(g, win[0], win[1]));
        assertThat(got).extracting(SummaryRow::key).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (SummaryRow s : got) {
          List<Row> e = expected.get(s.key());
          assertThat(s.calls()).isEqualTo(e.size());
          assertThat(s.errors()).isEqualTo(e.stream().filter(Row::error).count());
          assertThat(s.inputTokens()).isEqualTo(10L * e.size());
          BigDecimal cost = e.stream().map(Row::cost).filter(java.util.Objects::nonNull)
              .reduce(null, (a, b) -> a == null ? b : a.add(b));
          if (cost == null) {
            assertThat(s.costUsd()).isNull();
          } else {
            assertThat(s.costUsd()).isEqualByComparingTo(cost);
          }
          assertThat(s.unpricedCalls()).isEqualTo(e.stream().filter(r -> r.cost() == null).count());
          double[] lat = e.stream().mapToDouble(Row::latencyMs).sorted().toArray();
          for (double[] qv : new double[][] {{0.5, s.latencyMs().p50()}, {0.95, s.latencyMs().p95()},
              {0.99, s.latencyMs().p99()}}) {
            double truth = lat[(int) Math.floor(qv[0] * (lat.length - 1))];
            assertThat(qv[1]).isCloseTo(truth, within(truth * 0.0101));
          }
          assertThat(s.ttftMs().p50()).isCloseTo(5.0, within(0.051));
        }
      }
      // the time series: hourly buckets come from the rollups, quarter hours from the raw calls;
      // both must give the same exact sums and 1%-close percentiles per bucket
      for (GroupBy g : java.util.Arrays.asList(null, GroupBy.MODEL)) {
        for (long step : new long[] {3_600_000 * MS, 900_000 * MS}) {
          Map<String, Map<Long, List<Row>>> expected = new HashMap<>();
          for (Row r : rows) {
            if (r.start() >= lo && r.start() < hi) {
              expected.computeIfAbsent(g == null ? null : r.model(), k -> new java.util.TreeMap<>())
                  .computeIfAbsent(Math.floorDiv(r.start(), step) * step, k -> new ArrayList<>()).add(r);
            }
          }
          List<SeriesGroup> got = store.series(new SeriesQuery(g, win[0], win[1], step, 100, true));
          assertThat(got).extracting(SeriesGroup::key).containsExactlyInAnyOrderElementsOf(expected.keySet());
          for (SeriesGroup sg : got) {
            Map<Long, List<Row>> buckets = expected.get(sg.key());
            assertThat(sg.points()).extracting(p -> DuckDbStore.nanos(p.time(), 0))
                .containsExactlyElementsOf(buckets.keySet());
            assertThat(sg.total().calls()).isEqualTo(buckets.values().stream().mapToLong(List::size).sum());
            for (SeriesPoint p : sg.points()) {
              List<Row> e = buckets.get(DuckDbStore.nanos(p.time(), 0));
              SummaryRow v = p.values();
              assertThat(v.calls()).isEqualTo(e.size());
              long errors = e.stream().filter(Row::error).count();
              assertThat(v.errors()).isEqualTo(errors);
              assertThat(v.errors5xx()).isEqualTo(errors); // the test calls fail with 500
              assertThat(v.errors4xx()).isZero();
              assertThat(v.outputTokens()).isEqualTo(20L * e.size());
              BigDecimal cost = e.stream().map(Row::cost).filter(java.util.Objects::nonNull)
                  .reduce(null, (a, b) -> a == null ? b : a.add(b));
              if (cost == null) {
                assertThat(v.costUsd()).isNull();
              } else {
                assertThat(v.costUsd()).isEqualByComparingTo(cost);
              }
              double[] lat = e.stream().mapToDouble(Row::latencyMs).sorted().toArray();
              double truth = lat[(int) Math.floor(0.95 * (lat.length - 1))];
              assertThat(v.latencyMs().p95()).isCloseTo(truth, within(truth * 0.0101));
            }
          }
        }
      }
    }
  }
}
