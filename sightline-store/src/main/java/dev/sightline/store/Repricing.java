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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
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

  /** The changed costs of a chunk, as parallel columns for one UPDATE. */
  private static final String CHANGES = "(SELECT unnest(?::BIGINT[]) AS rid, unnest(?::VARCHAR[]) AS status,"
      + " unnest(?::VARCHAR[]) AS total, unnest(?::VARCHAR[]) AS input, unnest(?::VARCHAR[]) AS cache_read,"
      + " unnest(?::VARCHAR[]) AS cache_write, unnest(?::VARCHAR[]) AS output, unnest(?::VARCHAR[]) AS reasoning,"
      + " unnest(?::VARCHAR[]) AS price_key, unnest(?::VARCHAR[]) AS reason) u";

  static RepriceResult run(DuckDBConnection c, long watermark, RepriceRequest request, UnaryOperator<LlmCall> pricer)
      throws SQLException {
    Objects.requireNonNull(pricer, "pricer");
    long lo = DuckDbStore.nanos(request.since(), Long.MIN_VALUE);
    long hi = DuckDbStore.nanos(request.until(), Long.MAX_VALUE);
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
      Chunk chunk = new Chunk();
      Tx.begin(c);
      try {
        reprice(c, fromHour, toHour, lo, hi, model, filter, watermark, pricer, chunk);
        chunk.write(c);
        rebuildRollups(c, chunk.rolledUpHours, watermark);
        Tx.commit(c);
      } catch (SQLException | RuntimeException e) {
        Tx.rollbackAfter(c, e);
        throw e;
      }
      done += chunk.examined;
      changed += chunk.rowIds.size();
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
          chunk.add(rs.getLong("rowid"), cost);
          if (rs.getLong("seq") <= watermark) {
            chunk.rolledUpHours.add(rs.getLong("hour_ns"));
          }
        }
      }
    }
  }

  /** The call as pricing needs it: what was priced (provider, models, usage, tier, start) and the reported cost. */
  private static LlmCall pricingInput(ResultSet rs, Cost stored) throws SQLException {
    Usage usage = new Usage(rs.getLong("input_uncached"), rs.getLong("input_cache_read"),
        rs.getLong("input_cache_write_5m"), rs.getLong("input_cache_write_1h"), rs.getLong("output_text"),
        rs.getLong("output_reasoning"), UsageSource.fromWire(rs.getString("usage_source")),
        rs.getBoolean("inferred_exclusive"), rs.getString("usage_rejected_reason"));
    // the stored start: the call's own, else its span's (the same start the summary groups it by)
    long start = rs.getLong("start_ns");
    Timing timing = rs.getBoolean("has_timing")
        ? Timing.of(rs.getLong("timing_start_ns"), rs.getLong("timing_end_ns")) : Timing.of(start, start);
    return new LlmCall(rs.getString("provider"), rs.getString("operation"), rs.getString("request_model"),
        rs.getString("response_model"), null, usage, timing, stored, null, null, null, rs.getString("service_tier"));
  }

  private static Cost storedCost(ResultSet rs) throws SQLException {
    if (!rs.getBoolean("has_cost")) {
      return null;
    }
    return new Cost(CostStatus.fromWire(rs.getString("cost_status")), CallRows.dec(rs, "cost_total"),
        CallRows.dec(rs, "cost_input"), CallRows.dec(rs, "cost_cache_read"), CallRows.dec(rs, "cost_cache_write"),
        CallRows.dec(rs, "cost_output"), CallRows.dec(rs, "cost_reasoning"), rs.getString("price_key"),
        rs.getString("cost_reason"), CallRows.dec(rs, "cost_reported"));
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
    try (PreparedStatement ps = c.prepareStatement(DuckDbStore.rollupInsertFor(source))) {
      ps.setLong(1, watermark);
      ps.setArray(2, list);
      ps.executeUpdate();
    }
  }

  /** One chunk's changed costs, gathered while reading and written with one UPDATE. */
  private static final class Chunk {
    long examined;
    final List<Long> rowIds = new ArrayList<>();
    final List<String> status = new ArrayList<>();
    final List<String> total = new ArrayList<>();
    final List<String> input = new ArrayList<>();
    final List<String> cacheRead = new ArrayList<>();
    final List<String> cacheWrite = new ArrayList<>();
    final List<String> output = new ArrayList<>();
    final List<String> reasoning = new ArrayList<>();
    final List<String> priceKey = new ArrayList<>();
    final List<String> reason = new ArrayList<>();
    final TreeSet<Long> rolledUpHours = new TreeSet<>();

    void add(long rowId, Cost cost) {
      rowIds.add(rowId);
      status.add(cost.status() == null ? null : cost.status().wire());
      total.add(text(cost.totalUsd()));
      input.add(text(cost.inputUsd()));
      cacheRead.add(text(cost.cacheReadUsd()));
      cacheWrite.add(text(cost.cacheWriteUsd()));
      output.add(text(cost.outputUsd()));
      reasoning.add(text(cost.reasoningUsd()));
      priceKey.add(clean(cost.priceKey()));
      reason.add(clean(cost.reason()));
    }

    /** Decimals travel as exact text at the storage scale, never through a double. */
    private static String text(BigDecimal v) {
      return v == null ? null : scaled(v).toPlainString();
    }

    void write(DuckDBConnection c) throws SQLException {
      if (rowIds.isEmpty()) {
        return;
      }
      String d = "::" + Schema.DECIMAL;
      try (PreparedStatement ps = c.prepareStatement("UPDATE llm_calls SET has_cost = true, cost_status = u.status,"
          + " cost_total = u.total" + d + ", cost_input = u.input" + d + ", cost_cache_read = u.cache_read" + d
          + ", cost_cache_write = u.cache_write" + d + ", cost_output = u.output" + d
          + ", cost_reasoning = u.reasoning" + d + ", price_key = u.price_key, cost_reason = u.reason"
          + " FROM " + CHANGES + " WHERE llm_calls.rowid = u.rid")) {
        ps.setArray(1, c.createArrayOf("BIGINT", rowIds.toArray()));
        List<List<String>> columns = List.of(status, total, input, cacheRead, cacheWrite, output, reasoning, priceKey,
            reason);
        for (int i = 0; i < columns.size(); i++) {
          ps.setArray(i + 2, c.createArrayOf("VARCHAR", columns.get(i).toArray()));
        }
        int updated = ps.executeUpdate();
        if (updated != rowIds.size()) {
          throw new SQLException("re-pricing updated " + updated + " rows for " + rowIds.size() + " changed costs");
        }
      }
    }
  }
}
