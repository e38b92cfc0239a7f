package dev.sightline.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.CallStatus;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.CallQuery;
import dev.sightline.store.GroupBy;
import dev.sightline.store.RetentionResult;
import dev.sightline.store.Rollups;
import dev.sightline.store.Store;
import dev.sightline.store.StoreConformanceSuite;
import dev.sightline.store.StoreException;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryRow;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/** What only the PostgreSQL engine has: its URLs, schema versions, day partitions, text escaping, COPY numerics. */
class PostgresStoreTest extends StoreConformanceSuite {

  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }

  private static List<String> column(String url, String sql) throws Exception {
    Properties p = new Properties();
    try (Connection c = DriverManager.getConnection(PgConnections.jdbcUrl(url, p), p);
        Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      List<String> out = new ArrayList<>();
      while (rs.next()) {
        out.add(rs.getString(1));
      }
      return out;
    }
  }

  private static Span callSpan(int n, long startNs) {
    return llmSpan(traceId(n), spanId(1), null, "svc", call(traceId(n), spanId(1), "openai", "m", "svc", "r", startNs,
        startNs + MS, null, 1, 1, BigDecimal.ONE, CallStatus.OK));
  }

  @Test
  void postgresUrlsBecomePgJdbcUrlsWithTheCredentialsAsProperties() {
    Properties p = new Properties();
    assertThat(PgConnections.jdbcUrl("postgres://sl:p%40ss%3Aw@db.example:6432/obs?sslmode=require", p))
        .isEqualTo("jdbc:postgresql://db.example:6432/obs?sslmode=require");
    assertThat(p).containsEntry("user", "sl").containsEntry("password", "p@ss:w");
    Properties q = new Properties();
    assertThat(PgConnections.jdbcUrl("postgresql://db/obs", q)).isEqualTo("jdbc:postgresql://db:5432/obs");
    assertThat(q).isEmpty();
    assertThat(PgConnections.jdbcUrl("jdbc:postgresql://h/d?user=u", q)).isEqualTo("jdbc:postgresql://h/d?user=u");
    assertThatThrownBy(() -> PgConnections.jdbcUrl("mysql://u:secret@h/d", new Properties()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("postgres://")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> PgConnections.jdbcUrl("postgres://h", new Properties()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("database");
    assertThatThrownBy(() -> PostgresStore.open("postgres://h/d", 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pool size");
  }

  @Test
  void recordsEverySchemaVersionAndRefusesANewerDatabase() throws Exception {
    String url = PgDatabases.freshDatabase();
    assertThat(column(url, "SELECT version FROM schema_version ORDER BY version"))
        .containsExactly("1", "2", "3", "4", "5", "6", "7");
    assertThat(PgSchema.latestVersion()).isEqualTo(7);
    try (Connection c = DriverManager.getConnection(PgConnections.jdbcUrl(url, new Properties()) + "?user="
        + PostgresServer.USER); Statement s = c.createStatement()) {
      s.execute("INSERT INTO schema_version (version, description) VALUES (99, 'from the future')");
    }
    assertThatThrownBy(() -> PostgresStore.open(url, 1)).isInstanceOf(StoreException.class)
        .hasMessageContaining("schema version 99").hasMessageNotContaining("password");
  }

  @Test
  void aWriteCreatesThePartitionsOfTheDaysItTouches() throws Exception {
    String url = PgDatabases.freshDatabase();
    long day = Math.floorDiv(T0, PgWriter.DAY_NS);
    try (PostgresStore store = PostgresStore.open(url, 2)) {
      store.write(List.of(TelemetryBatch.ofSpans("test", List.of(callSpan(1, T0), callSpan(2, T0 + PgWriter.DAY_NS),
          callSpan(3, -PgWriter.DAY_NS / 2)))));
      assertThat(store.callCount()).isEqualTo(3);
      assertThat(store.calls(CallQuery.forTrace(traceId(3))).get(0).timing().startEpochNanos())
          .isEqualTo(-PgWriter.DAY_NS / 2);
    }
    assertThat(column(url, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
        + " WHERE i.inhparent = 'llm_calls'::regclass ORDER BY 1"))
        .containsExactlyInAnyOrder("llm_calls_d" + day, "llm_calls_d" + (day + 1), "llm_calls_dm1");
    assertThat(column(url, "SELECT count(*) FROM ONLY spans_d" + day)).containsExactly("1");
    assertThat(column(url, "SELECT count(*) FROM ONLY spans")).containsExactly("0"); // the parent holds no rows
  }

  @Test
  void retentionDropsExpiredDayPartitionsAndALateWriteMakesItsPartitionAgain() throws Exception {
    String url = PgDatabases.freshDatabase();
    long day = Math.floorDiv(T0, PgWriter.DAY_NS);
    try (PostgresStore a = PostgresStore.open(url, 2); PostgresStore b = PostgresStore.open(url, 2)) {
      a.write(List.of(TelemetryBatch.ofSpans("test", List.of(callSpan(1, T0 - 2 * PgWriter.DAY_NS),
          callSpan(2, T0 - PgWriter.DAY_NS), callSpan(3, T0)))));
      b.write(List.of(TelemetryBatch.ofSpans("test", List.of(callSpan(4, T0 - 2 * PgWriter.DAY_NS + MS)))));
      // the 14th at 12:00: the 13th's partitions go whole, the 14th's 10:00 rows one by one
      RetentionResult r = a.applyRetention(Instant.ofEpochSecond(0, T0 - PgWriter.DAY_NS + 2 * 3_600_000 * MS), null);
      assertThat(r.deleted("llm_calls")).isEqualTo(3);
      assertThat(r.deleted("spans")).isEqualTo(3);
      assertThat(column(url, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
          + " WHERE i.inhparent = 'spans'::regclass")).containsExactlyInAnyOrder("spans_d" + day, "spans_d" + (day - 1));
      // b still takes the 13th's partition for granted: its late write makes it again
      b.write(List.of(TelemetryBatch.ofSpans("test", List.of(callSpan(5, T0 - 2 * PgWriter.DAY_NS + 2 * MS)))));
      assertThat(b.calls(new CallQuery(null, null, null, null, null, null, null, 10)))
          .extracting(c -> c.context().traceId()).containsExactlyInAnyOrder(traceId(3), traceId(5));
    }
  }

  @Test
  void twoNodesWritingTheSameDaysTogetherLoseNothing() throws Exception {
    String url = PgDatabases.freshDatabase();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try (PostgresStore a = PostgresStore.open(url, 2); PostgresStore b = PostgresStore.open(url, 2)) {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        PostgresStore node = i % 2 == 0 ? a : b;
        int n = i;
        // every write starts a new day for one of the nodes: both race to create the partitions
        writes.add(pool.submit(() -> node.write(List.of(TelemetryBatch.ofSpans("test",
            List.of(callSpan(n, T0 + (n / 4) * PgWriter.DAY_NS)))))));
      }
      for (Future<?> f : writes) {
        f.get();
      }
      assertThat(a.callCount()).isEqualTo(40);
      assertThat(b.spanCount()).isEqualTo(40);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyWriteFoldsItsCallsIntoTheRollupsAndCompactionKeepsTheSummary() throws Exception {
    PostgresStore pg = (PostgresStore) store;
    for (int i = 0; i < 30; i++) { // 30 writes over 3 hours, some calls before their root span
      long start = T0 + (i % 3) * 3_600_000 * MS + i * MS;
      if (i % 5 == 0) {
        write(callSpanUnder(i, start));
        write(span(traceId(i), spanId(1), null, "GET /late", "svc", start - MS, start + 2 * MS, SpanStatus.OK, null));
      } else {
        write(callSpan(i, start));
      }
    }
    String url = PgDatabases.url(currentDatabase());
    assertThat(column(url, "SELECT sum(calls) FROM call_rollup WHERE dim = 0")).containsExactly("30");
    assertThat(column(url, "SELECT key || '=' || sum(calls) FROM call_rollup WHERE dim = " + Rollups.ROUTE_DIM
        + " GROUP BY key HAVING sum(calls) <> 0 ORDER BY key")).containsExactly("GET /late=6", "r=24");
    List<SummaryRow> before = store.summary(new SummaryQuery(GroupBy.ROUTE, null, null));
    long rowsBefore = Long.parseLong(column(url, "SELECT count(*) FROM call_rollup_hist").get(0));
    long left = pg.compactRollups();
    assertThat(left).isLessThan(rowsBefore);
    assertThat(store.summary(new SummaryQuery(GroupBy.ROUTE, null, null))).usingRecursiveComparison()
        .isEqualTo(before);
    assertThat(before).extracting(SummaryRow::key, SummaryRow::calls)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("r", 24L), org.assertj.core.groups.Tuple.tuple("GET /late", 6L));
  }

  private String currentDatabase() throws Exception {
    return ((PostgresStore) store).read("database name", c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_database()")) {
        rs.next();
        return rs.getString(1);
      }
    });
  }

  /** A call without a route, under root span 1 that is written later. */
  private static Span callSpanUnder(int n, long startNs) {
    return llmSpan(traceId(n), spanId(2), spanId(1), "svc", call(traceId(n), spanId(2), "openai", "m", "svc", null,
        startNs, startNs + MS, null, 1, 1, BigDecimal.ONE, CallStatus.OK));
  }

  @Test
  void nulAndTheEscapeCharacterRoundTripThroughText() {
    for (String s : new String[] {"plain", "", "a\u0000b", "\uFFFF", "\uFFFF0", "x\uFFFF\u0000\uFFFF\uFFFFy",
        "\u0000\u0000"}) {
      String stored = PgText.encode(s);
      assertThat(stored).doesNotContain("\u0000");
      assertThat(PgText.decode(stored)).isEqualTo(s);
    }
    assertThat(PgText.encode("plain")).isSameAs("plain");
    assertThat(PgText.encode(null)).isNull();
  }

  @Test
  void binaryCopyNumericsMatchWhatPostgresParses() throws Exception {
    String[] values = {"0", "1", "-1", "0.000000000000000001", "-12345678901234567890.123456789012345678",
        "10000", "0.0001", "99990000.00009999", "7E+3", "123.450"};
    try (Connection c = DriverManager.getConnection(PgDatabases.emptyDatabase()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE n (i int, v numeric)");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (BinaryCopyWriter w = new BinaryCopyWriter(bytes)) {
        for (int i = 0; i < values.length; i++) {
          w.row(2).int4(i).numeric(new BigDecimal(values[i]));
        }
      }
      c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY n FROM STDIN (FORMAT binary)",
          new ByteArrayInputStream(bytes.toByteArray()));
      try (ResultSet rs = s.executeQuery("SELECT i, v FROM n ORDER BY i")) {
        for (String v : values) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getBigDecimal(2)).as(v).isEqualTo(new BigDecimal(v).setScale(Math.max(0,
              new BigDecimal(v).scale())));
        }
      }
    }
  }
}
