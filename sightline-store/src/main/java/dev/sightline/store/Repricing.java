package dev.sightline.store;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Re-pricing stored LLM calls (ARCHITECTURE.md §6): each call's cost is computed again from its
 * stored usage, provider, models, service tier and start time, and written back only where it
 * changed. The calls are taken a few whole hours at a time, each chunk in its own transaction, so
 * an interrupted run keeps what it committed and a second run finds nothing left to change. The
 * hourly rollups of an hour whose rolled-up calls changed are rebuilt from {@code llm_calls} in the
 * same transaction, so the summary never disagrees with the calls.
 */
final class Repricing {
  private Repricing() {}

  /** What pricing reads, plus the stored cost to compare with; rowid identifies the row. */
  private static final String COLUMNS = "rowid, seq, hour_ns, start_ns, provider, operation, request_model,"
      + " response_model, input_uncached, input_cache_read, input_cache_write_5m, input_cache_write_1h, output_text,"
      + " output_reasoning, usage_source, inferred_exclusive, usage_rejected_reason, has_timing, timing_start_ns,"
      + " timing_end_ns, has_cost, cost_status, cost_total, cost_input, cost_cache_read, cost_cache_write,"
      + " cost_output, cost_reasoning, price_key, cost_reason, cost_reported, service_tier";

  private static final String MODEL_FILTER =
      " AND (lower(trim(request_model)) = ? OR lower(trim(response_model)) = ?)";

  static RepriceResult run(DuckDBConnection c, long watermark, RepriceRequest request, UnaryOperator<LlmCall> pricer)
      throws SQLException {
    Objects.requireNonNull(pricer, "pricer");
    long lo = Sql.nanos(request.since(), Long.MIN_VALUE);
    long hi = Sql.nanos(request.until(), Long.MAX_VALUE);
    String model = request.model() == null ? null : request.model().toLowerCase(Locale.ROOT);
    String filter = model == null ? "" : MODEL_FILTER;

    // calls per hour: the chunks are whole hours, so that each chunk's rollups are rebuilt whole
    List<long[]> hours = new ArrayList<>();
    long total = 0;
    Tx.begin(c);
    try (PreparedStatement ps = c.prepareStatement("SELECT hour_ns, count(*) FROM llm_calls"
        + " WHERE start_ns >= ? AND start_ns < ?" + filter + " GROUP BY hour_ns ORDER BY hour_ns")) {
      bindWindow(ps, lo, hi, model);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          hours.add(new long[] {rs.getLong(1), rs.getLong(2)});
          total += rs.getLong(2);
        }
      }
      Tx.commit(c);
    } catch (SQLException | RuntimeException e) {
      Tx.rollbackAfter(c, e);
      throw e;
    }

    long done = 0;
    long changed = 0;
    long rebuiltHours = 0;
    int next = 0;
    while (next < hours.size()) {
      if (request.stop() != null && request.stop().getAsBoolean()) {
        return new RepriceResult(total, done, changed, rebuiltHours, false);
      }
      long fromHour = hours.get(next)[0];
      long calls = 0;
      while (next < hours.size() && (calls == 0 || calls + hours.get(next)[1] <= request.chunkCalls())) {
        calls += hours.get(next)[1];
        next++;
      }
      long toHour = next < hours.size() ? hours.get(next)[0] : Long.MAX_VALUE;
      Chunk chunk = new Chunk(c);
      Tx.begin(c);
      try {
        reprice(c, fromHour, toHour, lo, hi, model, filter, watermark, pricer, chunk);
        chunk.write();
        rebuildRollups(c, chunk.rolledUpHours, watermark);
        Tx.commit(c);
      } catch (SQLException | RuntimeException e) {
        chunk.abandon();
        Tx.rollbackAfter(c, e);
        throw e;
      }
      done += chunk.examined;
      changed += chunk.changed;
      rebuiltHours += chunk.rolledUpHours.size();
      if (request.progress() != null) {
        request.progress().update(done, total, changed);
      }
    }
    return new RepriceResult(total, done, changed, rebuiltHours, true);
  }

  private static void bindWindow(PreparedStatement ps, long lo, long hi, String model) throws SQLException {
    ps.setLong(1, lo);
    ps.setLong(2, hi);
    if (model != null) {
      ps.setString(3, model);
      ps.setString(4, model);
    }
  }

  private static void reprice(DuckDBConnection c, long fromHour, long toHour, long lo, long hi, String model,
      String filter, long watermark, UnaryOperator<LlmCall> pricer, Chunk chunk) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM llm_calls WHERE start_ns >= ?"
        + " AND start_ns < ?" + filter + " AND hour_ns >= ? AND hour_ns < ?")) {
      bindWindow(ps, lo, hi, model);
      int i = model == null ? 3 : 5;
      ps.setLong(i, fromHour);
      ps.setLong(i + 1, toHour);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          chunk.examined++;
          Cost stored = storedCost(rs);
          LlmCall priced = pricer.apply(pricingInput(rs, stored));
          Cost cost = priced == null ? null : priced.cost();
          if (cost == null || sameCost(stored, cost)) {
            continue;
          }
          chunk.add(rs.getLong(ROWID), cost);
          if (rs.getLong(SEQ) <= watermark) {
            chunk.rolledUpHours.add(rs.getLong(HOUR));
          }
        }
      }
    }
  }

  // column numbers in COLUMNS
  private static final int ROWID = 1;
  private static final int SEQ = 2;
  private static final int HOUR = 3;
  private static final int START = 4;
  private static final int PROVIDER = 5;
  private static final int OPERATION = 6;
  private static final int REQUEST_MODEL = 7;
  private static final int RESPONSE_MODEL = 8;
  private static final int BUCKETS = 9; // six token buckets from here
  private static final int USAGE_SOURCE = 15;
  private static final int INFERRED_EXCLUSIVE = 16;
  private static final int USAGE_REJECTED = 17;
  private static final int HAS_TIMING = 18;
  private static final int TIMING_START = 19;
  private static final int TIMING_END = 20;
  private static final int HAS_COST = 21;
  private static final int COST_STATUS = 22;
  private static final int COST_PARTS = 23; // total, input, cache read, cache write, output, reasoning
  private static final int PRICE_KEY = 29;
  private static final int COST_REASON = 30;
  private static final int COST_REPORTED = 31;
  private static final int SERVICE_TIER = 32;

  /** The call as pricing needs it: what was priced (provider, models, usage, tier, start) and the reported cost. */
  private static LlmCall pricingInput(ResultSet rs, Cost stored) throws SQLException {
    Usage usage = new Usage(rs.getLong(BUCKETS), rs.getLong(BUCKETS + 1), rs.getLong(BUCKETS + 2),
        rs.getLong(BUCKETS + 3), rs.getLong(BUCKETS + 4), rs.getLong(BUCKETS + 5),
        UsageSource.fromWire(rs.getString(USAGE_SOURCE)), rs.getBoolean(INFERRED_EXCLUSIVE),
        rs.getString(USAGE_REJECTED));
    // the stored start: the call's own, else its span's (the same start the summary groups it by)
    long start = rs.getLong(START);
    Timing timing = rs.getBoolean(HAS_TIMING)
        ? Timing.of(rs.getLong(TIMING_START), rs.getLong(TIMING_END)) : Timing.of(start, start);
    return new LlmCall(rs.getString(PROVIDER), rs.getString(OPERATION), rs.getString(REQUEST_MODEL),
        rs.getString(RESPONSE_MODEL), null, usage, timing, stored, null, null, null, rs.getString(SERVICE_TIER));
  }

  private static Cost storedCost(ResultSet rs) throws SQLException {
    if (!rs.getBoolean(HAS_COST)) {
      return null;
    }
    return new Cost(CostStatus.fromWire(rs.getString(COST_STATUS)), dec(rs, COST_PARTS), dec(rs, COST_PARTS + 1),
        dec(rs, COST_PARTS + 2), dec(rs, COST_PARTS + 3), dec(rs, COST_PARTS + 4), dec(rs, COST_PARTS + 5),
        rs.getString(PRICE_KEY), rs.getString(COST_REASON), dec(rs, COST_REPORTED));
  }

  private static BigDecimal dec(ResultSet rs, int column) throws SQLException {
    return CallRows.plain(rs.getBigDecimal(column));
  }

  /** Whether the new cost would store exactly what is stored (decimals at the storage scale, text cleaned). */
  private static boolean sameCost(Cost stored, Cost cost) {
    return stored != null && stored.status() == cost.status()
        && same(stored.totalUsd(), cost.totalUsd()) && same(stored.inputUsd(), cost.inputUsd())
        && same(stored.cacheReadUsd(), cost.cacheReadUsd()) && same(stored.cacheWriteUsd(), cost.cacheWriteUsd())
        && same(stored.outputUsd(), cost.outputUsd()) && same(stored.reasoningUsd(), cost.reasoningUsd())
        && Objects.equals(stored.priceKey(), clean(cost.priceKey()))
        && Objects.equals(stored.reason(), clean(cost.reason()));
  }

  private static boolean same(BigDecimal stored, BigDecimal computed) {
    if (stored == null || computed == null) {
      return stored == null && computed == null;
    }
    return stored.compareTo(scaled(computed)) == 0;
  }

  private static BigDecimal scaled(BigDecimal v) {
    return v == null ? null : v.setScale(CallRows.COST_SCALE, RoundingMode.HALF_EVEN);
  }

  private static String clean(String s) {
    return s == null ? null : Text.clean(s);
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
      RowSink row = new DuckDbRowSink(changes);
      CallRows.str(row, cost.status() == null ? null : cost.status().wire());
      CallRows.dec(row, cost.totalUsd());
      CallRows.dec(row, cost.inputUsd());
      CallRows.dec(row, cost.cacheReadUsd());
      CallRows.dec(row, cost.cacheWriteUsd());
      CallRows.dec(row, cost.outputUsd());
      CallRows.dec(row, cost.reasoningUsd());
      CallRows.str(row, cost.priceKey());
      CallRows.str(row, cost.reason());
      changes.endRow();
    }

    void write() throws SQLException {
      if (changes == null) {
        return;
      }
      changes.close();
      try (Statement s = c.createStatement()) {
        int updated = s.executeUpdate("UPDATE llm_calls SET has_cost = true, cost_status = u.status,"
            + " cost_total = u.total, cost_input = u.input, cost_cache_read = u.cache_read,"
            + " cost_cache_write = u.cache_write, cost_output = u.output, cost_reasoning = u.reasoning,"
            + " price_key = u.price_key, cost_reason = u.reason FROM reprice_changes u WHERE llm_calls.rowid = u.rid");
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
