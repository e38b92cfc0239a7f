package dev.sightline.store;

import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.UnaryOperator;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DuckDB store's writer: appends each write in one transaction per {@link WriterLane} (its
 * traces split over the lanes by trace id, appended in parallel, committed once every lane has
 * appended), gives late calls the route of their root span, and folds calls into the hourly
 * rollups. Called by one thread at a time, under the store's write lock (only {@link #prepare}
 * runs on callers' threads).
 */
final class BatchWriter {
  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  private final DuckDBConnection writer;
  private final DuckDbStore.Tuning tuning;
  private final List<WriterLane> lanes;
  /** Runs the appends and commits of lanes 1… (lane 0 runs on the caller's thread); null with one lane. */
  private final ExecutorService laneThreads;
  /** Batches encoded by {@link #prepare}, waiting for their write; identity keys (records hash by value). */
  private final Map<TelemetryBatch, SpanRows.SpanJson[]> prepared =
      Collections.synchronizedMap(new IdentityHashMap<>());
  /** The ingest bus positions each lane has stored (schema 8 on). */
  private final BusLedger ledger;

  private long seq;
  private long watermark;
  private long unrolled;
  private long rollupRowsAfterCompaction;
  private boolean upkeepDeferred;

  /** @param laneConnections the writer's own connection first, then one more per extra lane */
  BatchWriter(List<DuckDBConnection> laneConnections, DuckDbStore.Tuning tuning) {
    this.writer = laneConnections.get(0);
    this.tuning = tuning;
    List<WriterLane> l = new ArrayList<>();
    for (DuckDBConnection c : laneConnections) {
      l.add(new WriterLane(c, tuning.schemaVersion()));
    }
    this.lanes = List.copyOf(l);
    this.ledger = new BusLedger(lanes.size());
    this.laneThreads = lanes.size() == 1 ? null : Executors.newFixedThreadPool(lanes.size() - 1, r -> {
      Thread t = new Thread(r, "sightline-writer-lane");
      t.setDaemon(true);
      return t;
    });
  }

  /** The lanes' extra connections and threads (the first connection is the store's to close). */
  void close() {
    if (laneThreads != null) {
      laneThreads.shutdownNow();
    }
  }

  private int laneOf(String traceId) {
    return lanes.size() == 1 || traceId == null ? 0 : Math.floorMod(traceId.hashCode(), lanes.size());
  }

  /** Reads where the last writer left off (sequence, rollup watermark, calls still without a route). */
  void loadState() throws SQLException {
    try (Statement s = writer.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT greatest((SELECT coalesce(max(seq), 0) FROM spans),"
          + " (SELECT coalesce(max(seq), 0) FROM llm_calls), (SELECT coalesce(max(seq), 0) FROM logs),"
          + " (SELECT coalesce(max(seq), 0) FROM metric_points)"
          + (tuning.schemaVersion() >= 5 ? ", (SELECT coalesce(max(seq), 0) FROM scores)" : "") + "),"
          + " (SELECT watermark_seq FROM rollup_state), (SELECT count(*) FROM call_rollup_hist)")) {
        rs.next();
        watermark = rs.getLong(2);
        // never below the watermark: when retention has deleted every row, a seq restarting at 1
        // would put new calls under the watermark, where the summary takes them as already rolled up
        seq = Math.max(rs.getLong(1), watermark);
        rollupRowsAfterCompaction = rs.getLong(3);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM llm_calls WHERE seq > " + watermark)) {
        rs.next();
        unrolled = rs.getLong(1);
      }
      // calls of the last day that still wait for their root span
      try (ResultSet rs = s.executeQuery("SELECT trace_id, min(start_ns) FROM llm_calls WHERE route IS NULL"
          + " AND start_ns >= (SELECT max(start_ns) FROM llm_calls) - 86400000000000 GROUP BY trace_id"
          + " ORDER BY min(start_ns) LIMIT " + (long) WriterLane.ROUTE_CACHE_SIZE * lanes.size())) {
        while (rs.next()) {
          lanes.get(laneOf(rs.getString(1))).stillRouteless(rs.getString(1), rs.getLong(2));
        }
      }
    }
    if (tuning.schemaVersion() >= 8) {
      ledger.load(writer);
    }
    if (unrolled >= tuning.rollEvery()) {
      roll();
    }
  }

  /** The group's stored bus positions (see {@link BusLedger#positions}). */
  List<BusPosition> busPositions(String group) {
    requireLedger();
    return ledger.positions(group);
  }

  private void requireLedger() {
    if (tuning.schemaVersion() < 8) {
      throw new UnsupportedOperationException("bus positions need schema version 8; this store is at "
          + tuning.schemaVersion());
    }
  }

  /**
   * Encodes the batch's JSON columns now, on the caller's thread, so that {@link #write} (which
   * runs on the single writer thread) only appends. Optional: write encodes what was not prepared.
   */
  void prepare(TelemetryBatch batch) {
    if (!batch.spans().isEmpty()) {
      prepared.put(batch, SpanRows.encode(batch.spans()));
    }
  }

  /** The batches' encoded span columns: prepared ones taken back, the rest encoded now. */
  List<SpanRows.SpanJson[]> encode(List<TelemetryBatch> batches) {
    List<SpanRows.SpanJson[]> encoded = new ArrayList<>(batches.size());
    for (TelemetryBatch b : batches) {
      SpanRows.SpanJson[] e = prepared.remove(b);
      encoded.add(e != null && e.length == b.spans().size() ? e : SpanRows.encode(b.spans()));
    }
    return encoded;
  }

  /**
   * Writes the batches (with their {@link #encode}d span columns): every lane appends its traces'
   * share in its own transaction, and only when all have appended do they commit; if any append
   * fails, every lane rolls back and nothing of the write is stored.
   */
  void write(List<TelemetryBatch> batches, List<SpanRows.SpanJson[]> encoded) {
    write(batches, encoded, null);
  }

  /**
   * As {@link #write(List, List)}; with a bus {@code read}, each lane leaves out the batches whose
   * message it has stored already and stores its new positions in its own transaction.
   */
  void write(List<TelemetryBatch> batches, List<SpanRows.SpanJson[]> encoded, BusRead read) {
    if (read != null) {
      requireLedger();
      if (read.origins().size() != batches.size()) {
        throw new IllegalArgumentException("a bus write has one origin per batch: " + read.origins().size()
            + " origins for " + batches.size() + " batches");
      }
    }
    long s = seq + 1;
    List<List<TelemetryBatch>> parts = new ArrayList<>();
    List<List<SpanRows.SpanJson[]>> partJson = new ArrayList<>();
    split(batches, encoded, parts, partJson, (lane, bi) -> read == null
        || !ledger.stored(lane, read.group(), read.origins().get(bi)));
    List<Map<BusLedger.Key, Long>> advances = new ArrayList<>();
    for (int i = 0; i < lanes.size(); i++) {
      advances.add(read == null ? Map.of() : ledger.advances(i, read));
    }
    long w = watermark;
    // each lane's slot is written by its own thread and read after runLanes has joined them all
    WriterLane.Appended[] appended = new WriterLane.Appended[lanes.size()];
    List<Throwable> failures = new ArrayList<>();
    runLanes(i -> {
      appended[i] = lanes.get(i).append(parts.get(i), partJson.get(i), s, w);
      ledger.save(lanes.get(i).connection(), i, advances.get(i));
    }, failures);
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      runLanes(i -> lanes.get(i).rollback(first), new ArrayList<>());
      throw new StoreException("Write of " + batches.size() + " batch(es) failed and was rolled back: "
          + first.getMessage(), first);
    }
    runLanes(i -> {
      lanes.get(i).commit(appended[i]);
      ledger.committed(i, advances.get(i));
    }, failures);
    if (!failures.isEmpty()) {
      Throwable first = failures.get(0);
      runLanes(i -> lanes.get(i).rollback(first), new ArrayList<>()); // lanes not yet committed
      throw new StoreException("Commit of " + batches.size() + " batch(es) failed" + (lanes.size() > 1
          ? (read == null ? " (lanes that had committed keep their share; a retry may store it twice)"
          : " (lanes that had committed keep their share and its bus positions)") : "") + ": "
          + first.getMessage(), first);
    }
    seq = s;
    for (WriterLane.Appended a : appended) {
      unrolled += a.calls();
    }
    if (!upkeepDeferred) {
      rollIfDue();
    }
  }

  /** Splits the batches by lane: spans by their trace id, logs, metric points and scores to lane 0. */
  private void split(List<TelemetryBatch> batches, List<SpanRows.SpanJson[]> encoded,
      List<List<TelemetryBatch>> parts, List<List<SpanRows.SpanJson[]>> partJson, LaneShare share) {
    for (int i = 0; i < lanes.size(); i++) {
      parts.add(new ArrayList<>());
      partJson.add(new ArrayList<>());
    }
    if (lanes.size() == 1) {
      for (int bi = 0; bi < batches.size(); bi++) {
        if (share.takes(0, bi)) {
          parts.get(0).add(batches.get(bi));
          partJson.get(0).add(encoded.get(bi));
        }
      }
      return;
    }
    for (int bi = 0; bi < batches.size(); bi++) {
      TelemetryBatch b = batches.get(bi);
      SpanRows.SpanJson[] json = encoded.get(bi);
      List<List<Span>> spans = new ArrayList<>();
      List<List<SpanRows.SpanJson>> jsons = new ArrayList<>();
      for (int i = 0; i < lanes.size(); i++) {
        spans.add(new ArrayList<>());
        jsons.add(new ArrayList<>());
      }
      for (int si = 0; si < b.spans().size(); si++) {
        int lane = laneOf(b.spans().get(si).traceId());
        spans.get(lane).add(b.spans().get(si));
        jsons.get(lane).add(json[si]);
      }
      for (int i = 0; i < lanes.size(); i++) {
        boolean first = i == 0;
        if (!share.takes(i, bi)) {
          continue;
        }
        if (spans.get(i).isEmpty() && !(first && (!b.logs().isEmpty() || !b.metrics().isEmpty()
            || !b.scores().isEmpty()))) {
          continue;
        }
        parts.get(i).add(new TelemetryBatch(b.receiver(), spans.get(i), first ? b.logs() : List.of(),
            first ? b.metrics() : List.of(), first ? b.scores() : List.of(), b.project()));
        partJson.get(i).add(jsons.get(i).toArray(SpanRows.SpanJson[]::new));
      }
    }
  }

  /** Whether a lane stores its share of a batch (false: it has stored it before). */
  @FunctionalInterface
  private interface LaneShare {
    boolean takes(int lane, int batchIndex);
  }

  @FunctionalInterface
  private interface LaneWork {
    void run(int lane) throws Exception;
  }

  /** Runs {@code work} for every lane, lane 0 on this thread and the rest on the lane threads; collects failures. */
  private void runLanes(LaneWork work, List<Throwable> failures) {
    List<Future<?>> others = new ArrayList<>();
    for (int i = 1; i < lanes.size(); i++) {
      int lane = i;
      others.add(laneThreads.submit(() -> {
        work.run(lane);
        return null;
      }));
    }
    try {
      work.run(0);
    } catch (Exception e) {
      failures.add(e);
    }
    for (Future<?> f : others) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failures.add(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.add(e);
      }
    }
  }

  /**
   * From now on {@link #write} leaves the rollups to {@link #rollIfDue}, which the store's
   * maintainer calls after acknowledging the writes.
   */
  void deferUpkeep() {
    upkeepDeferred = true;
  }

  long watermark() {
    return watermark;
  }

  /** Folds the calls written since the last roll into the rollups once enough are waiting. */
  void rollIfDue() {
    if (unrolled < tuning.rollEvery()) {
      return;
    }
    try {
      roll();
    } catch (SQLException | RuntimeException e) {
      // the writes are committed; the summary keeps reading these calls raw until a roll succeeds
      LOG.warn("Could not fold LLM calls into the summary rollups (will retry): {}", e.getMessage());
    }
  }

  /** Folds the calls written since the last roll into the hourly rollups, in one transaction. */
  private void roll() throws SQLException {
    long upTo = seq;
    Tx.begin(writer);
    try {
      Rollups.fold(writer, watermark, upTo);
      Tx.commit(writer);
    } catch (SQLException | RuntimeException e) {
      Tx.rollbackAfter(writer, e);
      throw e;
    }
    watermark = upTo;
    unrolled = 0;
    if (Rollups.histogramRows(writer) > 2 * rollupRowsAfterCompaction + tuning.compactionSlack()) {
      rollupRowsAfterCompaction = Rollups.compact(writer);
    }
  }

  /** Re-prices stored calls (see {@link DuckDbRepricing}); calls above the rollup watermark are left to the next roll. */
  RepriceResult reprice(RepriceRequest request, UnaryOperator<LlmCall> pricer) {
    try {
      return DuckDbRepricing.run(writer, watermark, request, pricer);
    } catch (SQLException e) {
      throw new StoreException("Re-pricing failed; the chunks committed before stay re-priced, run it again to"
          + " finish: " + e.getMessage(), e);
    }
  }
}
