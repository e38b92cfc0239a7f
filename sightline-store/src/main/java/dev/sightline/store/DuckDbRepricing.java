package dev.sightline.store;

import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * {@link Repricing} on DuckDB, on the writer's connection (so no write runs meanwhile): each chunk's
 * changed costs go into a scratch table and are written with one UPDATE by rowid, and the hourly
 * rollups of an hour whose rolled-up calls (seq at or below the watermark) changed are rebuilt from
 * {@code llm_calls} in the same transaction, so the summary never disagrees with the calls.
 */
final class DuckDbRepricing {
  private DuckDbRepricing() {}

  static RepriceResult run(DuckDBConnection c, long watermark, RepriceRequest request, UnaryOperator<LlmCall> pricer)
      throws SQLException {
    return Repricing.run(c, request, (window, fromHour, toHour) -> {
      Chunk chunk = new Chunk(c);
      Tx.begin(c);
      try {
        try (PreparedStatement ps = c.prepareStatement(window.chunkQuery("rowid"))) {
          window.bindChunk(ps, 1, fromHour, toHour);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              chunk.examined++;
              Cost cost = Repricing.newCost(rs, 2, pricer);
              if (cost != null) {
                chunk.add(rs.getLong(1), cost);
                if (Repricing.seq(rs, 2) <= watermark) {
                  chunk.rolledUpHours.add(Repricing.hour(rs, 2));
                }
              }
            }
          }
        }
        chunk.write();
        rebuildRollups(c, chunk.rolledUpHours, watermark);
        Tx.commit(c);
      } catch (SQLException | RuntimeException e) {
        chunk.abandon();
        Tx.rollbackAfter(c, e);
        throw e;
      }
      return new Repricing.ChunkDone(chunk.examined, chunk.changed, chunk.rolledUpHours.size());
    });
  }

  /**
   * Rebuilds the scalar rollups (calls, unpriced, cost…; every dimension) of the hours whose
   * rolled-up calls changed cost, from the calls the rollups count (seq at or below the watermark).
   * The latency histograms do not depend on cost and stay as they are.
   */
  private static void rebuildRollups(DuckDBConnection c, TreeSet<Long> hours, long watermark) throws SQLException {
    if (hours.isEmpty()) {
      return;
    }
    Array list = c.createArrayOf("BIGINT", hours.toArray());
    try (PreparedStatement ps = c.prepareStatement(
        "DELETE FROM call_rollup WHERE hour_ns IN (SELECT unnest(?::BIGINT[]))")) {
      ps.setArray(1, list);
      ps.executeUpdate();
    }
    String source = "SELECT *, route AS r, 1 AS sign FROM llm_calls WHERE seq <= ?"
        + " AND hour_ns IN (SELECT unnest(?::BIGINT[]))";
    try (PreparedStatement ps = c.prepareStatement(Rollups.insert(source, "true"))) {
      ps.setLong(1, watermark);
      ps.setArray(2, list);
      ps.executeUpdate();
    }
  }

  /** One chunk's changed costs, gathered while reading and written with one UPDATE. */
  private static final class Chunk {
    long examined;
    int changed;
    final TreeSet<Long> rolledUpHours = new TreeSet<>();
    private final DuckDBConnection c;
    private DuckDBAppender changes;

    Chunk(DuckDBConnection c) {
      this.c = c;
    }

    /** Appends the new cost to the chunk's scratch table (created on first use, emptied per chunk). */
    void add(long rowId, Cost cost) throws SQLException {
      if (changes == null) {
        try (Statement s = c.createStatement()) {
          s.execute("CREATE TEMP TABLE IF NOT EXISTS reprice_changes (rid BIGINT, status VARCHAR,"
              + " total " + Schema.DECIMAL + ", input " + Schema.DECIMAL + ", cache_read " + Schema.DECIMAL
              + ", cache_write " + Schema.DECIMAL + ", output " + Schema.DECIMAL + ", reasoning " + Schema.DECIMAL
              + ", price_key VARCHAR, reason VARCHAR)");
          s.execute("DELETE FROM reprice_changes");
        }
        changes = c.createAppender("temp", DuckDBConnection.DEFAULT_SCHEMA, "reprice_changes");
      }
      changed++;
      changes.beginRow();
      changes.append(rowId);
      Repricing.appendCost(new DuckDbRowSink(changes), cost);
      changes.endRow();
    }

    void write() throws SQLException {
      if (changes == null) {
        return;
      }
      changes.close();
      try (Statement s = c.createStatement()) {
        int updated = s.executeUpdate("UPDATE llm_calls SET " + Repricing.SET_COST
            + " FROM reprice_changes u WHERE llm_calls.rowid = u.rid");
        if (updated != changed) {
          throw new SQLException("re-pricing updated " + updated + " rows for " + changed + " changed costs");
        }
        s.execute("DELETE FROM reprice_changes");
      }
    }

    /** Closes the appender of a chunk that failed. */
    void abandon() {
      if (changes != null) {
        try {
          changes.close();
        } catch (SQLException e) {
          // the transaction is rolled back anyway
        }
      }
    }
  }
}
