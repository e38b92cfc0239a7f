package dev.sightline.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.BusPosition;
import dev.sightline.store.BusRead;
import dev.sightline.store.MetricName;
import dev.sightline.store.TraceQuery;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Projects on one PostgreSQL database: a schema each, migrated on its own, none seeing another's rows. */
class PostgresSchemasTest {
  private static final long T0 = Instant.parse("2025-01-15T10:00:00Z").getEpochSecond() * 1_000_000_000L;

  @Test
  void projectsGetASchemaEachWithinPostgresNameLimits() {
    assertThat(PostgresStore.projectSchema(TelemetryBatch.DEFAULT_PROJECT)).isEqualTo("sightline");
    assertThat(PostgresStore.projectSchema("team-a")).isEqualTo("sightline_team-a");
    String longA = "a".repeat(50) + "-one";
    String longB = "a".repeat(50) + "-two";
    assertThat(PostgresStore.projectSchema(longA)).hasSize(63).contains("~").isNotEqualTo(PostgresStore.projectSchema(longB))
        .isEqualTo(PostgresStore.projectSchema(longA));
    assertThat(PostgresStore.projectSchema("b".repeat(53))).isEqualTo("sightline_" + "b".repeat(53));
    assertThatThrownBy(() -> PostgresStore.projectSchema("../etc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PostgresStore.projectSchema("x".repeat(65))).isInstanceOf(IllegalArgumentException.class);
    for (String bad : List.of("pg_catalog", "Upper", "a\"; DROP SCHEMA public; --", "", "x".repeat(64))) {
      assertThatThrownBy(() -> PostgresStore.open(PgDatabases.emptyDatabase(), 1, bad))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema name");
    }
  }

  @Test
  void twoSchemasInOneDatabaseAreIsolatedAndMigrateOnTheirOwn() throws Exception {
    String url = PgDatabases.emptyDatabase();
    String main = PostgresStore.projectSchema(TelemetryBatch.DEFAULT_PROJECT);
    String team = PostgresStore.projectSchema("team-a");
    try (PostgresStore a = PostgresStore.open(url, 2, main)) {
      a.write(List.of(batch(1, "checkout")));
      a.write(List.of(batch(2, "checkout")), new BusRead("writers", List.of(new BusPosition("t", 0, 4)),
          List.of(new BusPosition("t", 0, 5))));
      assertThat(a.spanCount()).isEqualTo(2);
    }
    // the second schema is created and migrated later, beside the first
    try (PostgresStore b = PostgresStore.open(url, 2, team)) {
      assertThat(b.spanCount()).isZero();
      assertThat(b.busPositions("writers")).isEmpty();
      assertThat(b.metricNames("", null, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 10)).isEmpty();
      b.write(List.of(batch(3, "search")));
      assertThat(b.traces(new TraceQuery(null, null, null, 10)))
          .extracting(t -> t.traceId()).containsExactly(traceId(3));
      // the DuckDB look-alike functions resolve in this schema (a search of call content uses contains,
      // metric names use list, flatten, json_keys)
      assertThat(b.traces(new TraceQuery(null, null, null, null, null, null, null, null, null, null, "hello", 10)))
          .isEmpty();
      assertThat(b.metricNames("", null, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 10))
          .extracting(MetricName::name).containsExactly("queue.depth");
    }
    try (PostgresStore a = PostgresStore.open(url, 2, main)) {
      assertThat(a.spanCount()).isEqualTo(2);
      assertThat(a.traces(new TraceQuery(null, null, null, 10)))
          .extracting(t -> t.traceId()).containsExactlyInAnyOrder(traceId(1), traceId(2));
      assertThat(a.metricNames("", null, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"), 10)).hasSize(1);
      assertThat(a.busPositions("writers")).containsExactly(new BusPosition("t", 0, 5));
    }
    int latest = PgSchema.latestVersion();
    assertThat(query(url, "SELECT max(version) FROM " + PgConnections.quote(main) + ".schema_version"))
        .isEqualTo(latest);
    assertThat(query(url, "SELECT max(version) FROM " + PgConnections.quote(team) + ".schema_version"))
        .isEqualTo(latest);
    // each schema has its own functions, and nothing went to the URL's default schema
    assertThat(query(url, "SELECT count(DISTINCT n.nspname) FROM pg_proc p JOIN pg_namespace n"
        + " ON n.oid = p.pronamespace WHERE p.proname = 'json_keys'")).isEqualTo(2);
    assertThat(query(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).isZero();
  }

  private static int query(String url, String sql) throws Exception {
    Properties p = new Properties();
    try (Connection c = DriverManager.getConnection(PgConnections.jdbcUrl(url, p), p);
        PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String traceId(int n) {
    return String.format("%032x", n);
  }

  /** One root span of trace {@code n} and one gauge point. */
  private static TelemetryBatch batch(int n, String service) {
    long start = T0 + n * 1_000_000L;
    Span span = new Span(traceId(n), String.format("%016x", n), null, "op", SpanKind.SERVER, start, start + 500_000,
        SpanStatus.OK, null, service, "scope", Map.of(), Map.of(), List.of(), SpanCategory.OTHER, null, List.of());
    MetricPoint gauge = new MetricPoint("queue.depth", null, null, MetricType.GAUGE, start, start, service,
        Map.of("queue", "q" + n), 1.0 + n, null, null, null, null, false);
    return new TelemetryBatch("test", List.of(span), List.of(), List.of(gauge), List.of());
  }
}
