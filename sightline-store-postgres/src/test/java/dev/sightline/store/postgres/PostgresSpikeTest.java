package dev.sightline.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

/**
 * Issue 18 feasibility: Debian's PostgreSQL started by the test harness, a table partitioned by day,
 * 100,000 rows written with binary COPY and read back with prepared statements.
 */
class PostgresSpikeTest {
  private static final long DAY_NS = 86_400_000_000_000L;
  /** 2026-01-01T00:00:00Z in epoch nanoseconds. */
  private static final long DAY0_NS = 1_767_225_600L * 1_000_000_000L;
  private static final int ROWS = 100_000;

  private static Connection connection;

  record Call(long startNs, String traceId, String model, long inputTokens, double latencyMs, boolean error) {}

  /** Row i of the test data: even rows on day 0, odd rows on day 1; every 7th without a model. */
  static Call call(int i) {
    return new Call(DAY0_NS + (i % 2) * DAY_NS + i * 1_000L, "%032x".formatted(i),
        i % 7 == 0 ? null : "model-" + (i % 5), i * 3L, i / 4.0, i % 11 == 0);
  }

  @BeforeAll
  static void connect() throws Exception {
    // the JVM's shared server (PgDatabases), a database of its own
    connection = DriverManager.getConnection(PgDatabases.emptyDatabase());
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (connection != null) {
      connection.close();
    }
  }

  @Test
  void binaryCopyRowsLandInTheirDayPartitionsAndReadBack() throws Exception {
    createDayPartitioned("calls_copy");
    assertThat(copyBinary("calls_copy")).isEqualTo(ROWS);

    assertThat(count("SELECT count(*) FROM calls_copy_d0")).isEqualTo(ROWS / 2);
    assertThat(count("SELECT count(*) FROM calls_copy_d1")).isEqualTo(ROWS / 2);
    try (PreparedStatement range = connection.prepareStatement(
        "SELECT count(*), count(model), sum(input_tokens) FROM calls_copy WHERE start_ns >= ? AND start_ns < ?")) {
      for (int day = 0; day < 2; day++) {
        range.setLong(1, DAY0_NS + day * DAY_NS);
        range.setLong(2, DAY0_NS + (day + 1) * DAY_NS);
        long expectedWithModel = 0;
        long expectedTokens = 0;
        for (int i = day; i < ROWS; i += 2) {
          expectedWithModel += call(i).model() == null ? 0 : 1;
          expectedTokens += call(i).inputTokens();
        }
        try (ResultSet rs = range.executeQuery()) {
          assertThat(rs.next()).isTrue();
          assertThat(rs.getLong(1)).isEqualTo(ROWS / 2);
          assertThat(rs.getLong(2)).isEqualTo(expectedWithModel);
          assertThat(rs.getLong(3)).isEqualTo(expectedTokens);
        }
      }
    }
    try (PreparedStatement one = connection.prepareStatement(
        "SELECT start_ns, trace_id, model, input_tokens, latency_ms, is_error FROM calls_copy WHERE start_ns = ?")) {
      // both partitions, a null model, an error, the first and last rows
      for (int i : List.of(0, 1, 7, 11, 12_345, 77_777, ROWS - 2, ROWS - 1)) {
        one.setLong(1, call(i).startNs());
        try (ResultSet rs = one.executeQuery()) {
          assertThat(rs.next()).as("row %d", i).isTrue();
          assertThat(new Call(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
              rs.getDouble(5), rs.getBoolean(6))).isEqualTo(call(i));
          assertThat(rs.next()).isFalse();
        }
      }
    }
  }

  @Test
  void rowOutsideEveryPartitionIsRefused() throws Exception {
    createDayPartitioned("calls_refuse");
    long threeDaysLater = DAY0_NS + 3 * DAY_NS;
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO calls_refuse VALUES (?, 'abc', NULL, 1, 1.0, false)")) {
      insert.setLong(1, threeDaysLater);
      assertThatThrownBy(insert::executeUpdate)
          .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"))
          .hasMessageContaining("no partition of relation \"calls_refuse\" found for row");
    }
    // the same through binary COPY: the whole COPY fails, nothing of it is stored
    var copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
        "COPY calls_refuse FROM STDIN (FORMAT binary)");
    assertThatThrownBy(() -> {
      try (var rows = new BinaryCopyWriter(copy)) {
        writeRow(rows, call(0));
        writeRow(rows, new Call(threeDaysLater, "abc", null, 1, 1.0, false));
      }
      copy.endCopy();
    }).hasStackTraceContaining("no partition of relation \"calls_refuse\" found for row");
    assertThat(count("SELECT count(*) FROM calls_refuse")).isZero();
  }

  @Test
  void copyAndBatchedInsertStoreTheSameRows() throws Exception {
    createDayPartitioned("calls_by_copy");
    createDayPartitioned("calls_by_insert");

    long t0 = System.nanoTime();
    connection.setAutoCommit(false);
    long copied = copyBinary("calls_by_copy");
    connection.commit();
    long copyNs = System.nanoTime() - t0;

    t0 = System.nanoTime();
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO calls_by_insert VALUES (?, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < ROWS; i++) {
        Call c = call(i);
        insert.setLong(1, c.startNs());
        insert.setString(2, c.traceId());
        insert.setString(3, c.model());
        insert.setLong(4, c.inputTokens());
        insert.setDouble(5, c.latencyMs());
        insert.setBoolean(6, c.error());
        insert.addBatch();
        if (i % 1_000 == 999) {
          insert.executeBatch();
        }
      }
      insert.executeBatch();
    }
    connection.commit();
    connection.setAutoCommit(true);
    long insertNs = System.nanoTime() - t0;
    System.out.printf("binary COPY: %,d rows/s; batched INSERT (1,000 per batch): %,d rows/s%n",
        ROWS * 1_000_000_000L / copyNs, ROWS * 1_000_000_000L / insertNs);

    assertThat(copied).isEqualTo(ROWS);
    String differences = """
        SELECT count(*) FROM (
          (SELECT * FROM calls_by_copy EXCEPT ALL SELECT * FROM calls_by_insert)
          UNION ALL
          (SELECT * FROM calls_by_insert EXCEPT ALL SELECT * FROM calls_by_copy)) d""";
    assertThat(count(differences)).isZero();
    assertThat(count("SELECT count(*) FROM calls_by_insert")).isEqualTo(ROWS);
  }

  @Test
  void closingStopsTheServerAndRemovesItsDirectory() throws Exception {
    PostgresServer other = PostgresServer.start();
    try (Connection c = DriverManager.getConnection(other.jdbcUrl());
        ResultSet rs = c.createStatement().executeQuery("SHOW fsync")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("on");
    }
    long t0 = System.nanoTime();
    other.close();
    System.out.printf("postgres harness (second server): start %d ms, stop %d ms%n",
        other.startTime().toMillis(), (System.nanoTime() - t0) / 1_000_000);
    assertThat(Files.exists(other.directory())).isFalse();
    assertThatThrownBy(() -> DriverManager.getConnection(other.jdbcUrl()).close())
        .isInstanceOf(SQLException.class);
  }

  private static void createDayPartitioned(String table) throws SQLException {
    try (Statement s = connection.createStatement()) {
      s.execute("""
          CREATE TABLE %s (
            start_ns BIGINT NOT NULL,
            trace_id TEXT NOT NULL,
            model TEXT,
            input_tokens BIGINT NOT NULL,
            latency_ms DOUBLE PRECISION NOT NULL,
            is_error BOOLEAN NOT NULL
          ) PARTITION BY RANGE (start_ns)""".formatted(table));
      for (int day = 0; day < 2; day++) {
        s.execute("CREATE TABLE %s_d%d PARTITION OF %s FOR VALUES FROM (%d) TO (%d)"
            .formatted(table, day, table, DAY0_NS + day * DAY_NS, DAY0_NS + (day + 1) * DAY_NS));
      }
    }
  }

  /** Writes rows 0 .. ROWS-1 with binary COPY; returns the row count the server reports. */
  private static long copyBinary(String table) throws SQLException, IOException {
    var copy = new PGCopyOutputStream(connection.unwrap(PGConnection.class),
        "COPY " + table + " FROM STDIN (FORMAT binary)", 1 << 16);
    try (var rows = new BinaryCopyWriter(copy)) {
      for (int i = 0; i < ROWS; i++) {
        writeRow(rows, call(i));
      }
    }
    return copy.endCopy();
  }

  private static void writeRow(BinaryCopyWriter rows, Call c) throws IOException {
    rows.row(6).int8(c.startNs()).text(c.traceId()).text(c.model()).int8(c.inputTokens())
        .float8(c.latencyMs()).bool(c.error());
  }

  private static long count(String sql) throws SQLException {
    try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      assertThat(rs.next()).isTrue();
      return rs.getLong(1);
    }
  }
}
