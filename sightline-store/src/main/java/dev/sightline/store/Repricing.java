package dev.sightline.store;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Re-pricing stored LLM calls (ARCHITECTURE.md §6), what every engine shares: each call's cost is
 * computed again from its stored usage, provider, models, service tier and start time, and written
 * back only where it changed. The calls are taken a few whole hours at a time, each chunk in its own
 * transaction (the engine's {@link Chunks}), so an interrupted run keeps what it committed and a
 * second run finds nothing left to change. This class plans the chunks, reads a call back as pricing
 * needs it, decides whether its cost changed and encodes the new cost; how a chunk's costs are
 * written and its rollups kept exact is the engine's ({@code DuckDbRepricing}: hours rebuilt below
 * the rollup watermark; the PostgreSQL engine: rollup deltas under a lock that writers respect).
 */
public final class Repricing {
  private Repricing() {}

  /** What pricing reads, plus the stored cost to compare with; the engine's row identity comes first. */
  public static final String COLUMNS = "seq, hour_ns, start_ns, provider, operation, request_model,"
      + " response_model, input_uncached, input_cache_read, input_cache_write_5m, input_cache_write_1h, output_text,"
      + " output_reasoning, usage_source, inferred_exclusive, usage_rejected_reason, has_timing, timing_start_ns,"
      + " timing_end_ns, has_cost, cost_status, cost_total, cost_input, cost_cache_read, cost_cache_write,"
      + " cost_output, cost_reasoning, price_key, cost_reason, cost_reported, service_tier";

  /** The new cost's columns as {@link #appendCost} writes them, in this order. */
  public static final String COST_COLUMNS = "status, total, input, cache_read, cache_write, output, reasoning,"
      + " price_key, reason";

  private static final String MODEL_FILTER =
      " AND (lower(trim(request_model)) = ? OR lower(trim(response_model)) = ?)";

  /** An engine's re-pricing of one chunk of whole hours, in one transaction of its own. */
  @FunctionalInterface
  public interface Chunks {
    /** Re-prices the window's calls that start in [{@code fromHour}, {@code toHour}) and commits. */
    ChunkDone reprice(Window window, long fromHour, long toHour) throws SQLException;
  }

  /**
   * What one chunk did.
   *
   * @param examined calls priced again
   * @param changed calls whose stored cost changed
   * @param hoursRolledUp hours whose rollups were rebuilt or adjusted
   */
  public record ChunkDone(long examined, long changed, long hoursRolledUp) {}

  /** The calls a request selects: start in [lo, hi), and of the model (lower case) when one is named. */
  public record Window(long lo, long hi, String model) {
    static Window of(RepriceRequest request) {
      return new Window(Sql.nanos(request.since(), Long.MIN_VALUE), Sql.nanos(request.until(), Long.MAX_VALUE),
          request.model() == null ? null : request.model().toLowerCase(Locale.ROOT));
    }

    /**
     * {@code SELECT identity, COLUMNS} of the window's calls that start in an hour range; bind it with
     * {@link #bindChunk}. The start bounds alone select the hours, so an engine can prune by them.
     */
    public String chunkQuery(String identity) {
      return "SELECT " + identity + ", " + COLUMNS + " FROM llm_calls WHERE start_ns >= ? AND start_ns < ?"
          + (model == null ? "" : MODEL_FILTER);
    }

    /** Binds {@link #chunkQuery}'s parameters from {@code first}; returns the next parameter index. */
    public int bindChunk(PreparedStatement ps, int first, long fromHour, long toHour) throws SQLException {
      return bind(ps, first, Math.max(lo, fromHour), Math.min(hi, toHour));
    }

    private int bind(PreparedStatement ps, int first, long from, long to) throws SQLException {
      ps.setLong(first, from);
      ps.setLong(first + 1, to);
      if (model == null) {
        return first + 2;
      }
      ps.setString(first + 2, model);
      ps.setString(first + 3, model);
      return first + 4;
    }

    /** The window's calls per hour, in hour order. */
    List<long[]> hours(Connection c) throws SQLException {
      List<long[]> hours = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT hour_ns, count(*) FROM llm_calls"
          + " WHERE start_ns >= ? AND start_ns < ?" + (model == null ? "" : MODEL_FILTER)
          + " GROUP BY hour_ns ORDER BY hour_ns")) {
        bind(ps, 1, lo, hi);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            hours.add(new long[] {rs.getLong(1), rs.getLong(2)});
          }
        }
      }
      return hours;
    }
  }

  /**
   * Runs a re-pricing: counts the window's calls per hour on {@code c}, then has {@code engine}
   * re-price them in chunks of whole hours of about {@code request.chunkCalls()} calls, asking
   * {@code request.stop()} before each chunk and telling {@code request.progress()} after each.
   */
  public static RepriceResult run(Connection c, RepriceRequest request, Chunks engine) throws SQLException {
    Window window = Window.of(request);
    List<long[]> hours = window.hours(c);
    long total = hours.stream().mapToLong(h -> h[1]).sum();
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
      ChunkDone chunk = engine.reprice(window, fromHour, toHour);
      done += chunk.examined();
      changed += chunk.changed();
      rebuiltHours += chunk.hoursRolledUp();
      if (request.progress() != null) {
        request.progress().update(done, total, changed);
      }
    }
    return new RepriceResult(total, done, changed, rebuiltHours, true);
  }

  // column numbers in COLUMNS, counted from 0 after the engine's identity columns
  private static final int SEQ = 0;
  private static final int HOUR = 1;
  private static final int START = 2;
  private static final int PROVIDER = 3;
  private static final int OPERATION = 4;
  private static final int REQUEST_MODEL = 5;
  private static final int RESPONSE_MODEL = 6;
  private static final int BUCKETS = 7; // six token buckets from here
  private static final int USAGE_SOURCE = 13;
  private static final int INFERRED_EXCLUSIVE = 14;
  private static final int USAGE_REJECTED = 15;
  private static final int HAS_TIMING = 16;
  private static final int TIMING_START = 17;
  private static final int TIMING_END = 18;
  private static final int HAS_COST = 19;
  private static final int COST_STATUS = 20;
  private static final int COST_PARTS = 21; // total, input, cache read, cache write, output, reasoning
  private static final int PRICE_KEY = 27;
  private static final int COST_REASON = 28;
  private static final int COST_REPORTED = 29;
  private static final int SERVICE_TIER = 30;

  /**
   * The new cost of the call in {@code rs}'s current row ({@link #COLUMNS} from column {@code base}),
   * or null when {@code pricer} gives none or it would store exactly what is stored.
   */
  public static Cost newCost(ResultSet rs, int base, UnaryOperator<LlmCall> pricer) throws SQLException {
    Objects.requireNonNull(pricer, "pricer");
    Cost stored = storedCost(rs, base);
    LlmCall priced = pricer.apply(pricingInput(rs, base, stored));
    Cost cost = priced == null ? null : priced.cost();
    return cost == null || sameCost(stored, cost) ? null : cost;
  }

  /** The write sequence number of the current row ({@link #COLUMNS} from {@code base}). */
  public static long seq(ResultSet rs, int base) throws SQLException {
    return rs.getLong(base + SEQ);
  }

  /** The start hour of the current row ({@link #COLUMNS} from {@code base}). */
  public static long hour(ResultSet rs, int base) throws SQLException {
    return rs.getLong(base + HOUR);
  }

  /** Appends {@code cost} as {@link #COST_COLUMNS}, encoded as the calls table stores them. */
  public static void appendCost(RowSink row, Cost cost) throws SQLException {
    CallRows.str(row, cost.status() == null ? null : cost.status().wire());
    CallRows.dec(row, cost.totalUsd());
    CallRows.dec(row, cost.inputUsd());
    CallRows.dec(row, cost.cacheReadUsd());
    CallRows.dec(row, cost.cacheWriteUsd());
    CallRows.dec(row, cost.outputUsd());
    CallRows.dec(row, cost.reasoningUsd());
    CallRows.str(row, cost.priceKey());
    CallRows.str(row, cost.reason());
  }

  /**
   * The SET list that stores a changes table's cost ({@link #COST_COLUMNS}, aliased {@code u}) in
   * {@code llm_calls}.
   */
  public static final String SET_COST = "has_cost = true, cost_status = u.status, cost_total = u.total,"
      + " cost_input = u.input, cost_cache_read = u.cache_read, cost_cache_write = u.cache_write,"
      + " cost_output = u.output, cost_reasoning = u.reasoning, price_key = u.price_key, cost_reason = u.reason";

  /** The call as pricing needs it: what was priced (provider, models, usage, tier, start) and the reported cost. */
  private static LlmCall pricingInput(ResultSet rs, int b, Cost stored) throws SQLException {
    Usage usage = new Usage(rs.getLong(b + BUCKETS), rs.getLong(b + BUCKETS + 1), rs.getLong(b + BUCKETS + 2),
        rs.getLong(b + BUCKETS + 3), rs.getLong(b + BUCKETS + 4), rs.getLong(b + BUCKETS + 5),
        UsageSource.fromWire(rs.getString(b + USAGE_SOURCE)), rs.getBoolean(b + INFERRED_EXCLUSIVE),
        rs.getString(b + USAGE_REJECTED));
    // the stored start: the call's own, else its span's (the same start the summary groups it by)
    long start = rs.getLong(b + START);
    Timing timing = rs.getBoolean(b + HAS_TIMING)
        ? Timing.of(rs.getLong(b + TIMING_START), rs.getLong(b + TIMING_END)) : Timing.of(start, start);
    return new LlmCall(rs.getString(b + PROVIDER), rs.getString(b + OPERATION), rs.getString(b + REQUEST_MODEL),
        rs.getString(b + RESPONSE_MODEL), null, usage, timing, stored, null, null, null,
        rs.getString(b + SERVICE_TIER));
  }

  private static Cost storedCost(ResultSet rs, int b) throws SQLException {
    if (!rs.getBoolean(b + HAS_COST)) {
      return null;
    }
    int p = b + COST_PARTS;
    return new Cost(CostStatus.fromWire(rs.getString(b + COST_STATUS)), dec(rs, p), dec(rs, p + 1), dec(rs, p + 2),
        dec(rs, p + 3), dec(rs, p + 4), dec(rs, p + 5), rs.getString(b + PRICE_KEY), rs.getString(b + COST_REASON),
        dec(rs, b + COST_REPORTED));
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
    return stored.compareTo(computed.setScale(CallRows.COST_SCALE, RoundingMode.HALF_EVEN)) == 0;
  }

  private static String clean(String s) {
    return s == null ? null : Text.clean(s);
  }
}
