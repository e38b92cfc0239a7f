package dev.sightline.store;

import dev.sightline.model.LlmCall;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.UnaryOperator;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default {@link Store}: one DuckDB file, {@code <dataDir>/sightline.duckdb}.
 *
 * <p>Writes come from one writer thread and go through DuckDB's Appender inside one transaction per
 * {@link #write} call; the commit reaches DuckDB's write-ahead log before {@code write} returns.
 * Reads run concurrently on their own connections (duplicates of the writer's database handle),
 * each query in its own snapshot.
 *
 * <p>This class holds the lifecycle and the connections; the work is done by one writer
 * ({@link BatchWriter}: appends, routes, rollups) and one reader per family of queries
 * ({@link TraceReader}, {@link CallReader}, {@link SummaryReader}, {@link CostReader},
 * {@link ScoreReader}, {@link MetricReader}, {@link ServiceMapReader}, {@link RumReader}); alert rules
 * and history have their own writer and reader
 * ({@link AlertWriter}, {@link AlertReader}).
 *
 * <p>The LLM summary reads hourly rollups (counts, token and cost sums, and 1%-accurate latency
 * histograms) for the whole hours inside its window, and raw rows for the rest: the partial hours
 * at the window's edges and the calls written since the last roll. Windows of at most
 * {@code exactLimit} calls get exact percentiles from the raw rows instead.
 */
public final class DuckDbStore implements Store {
  private static final Logger LOG = LoggerFactory.getLogger(DuckDbStore.class);

  /** The database file inside the data directory. */
  public static final String FILE_NAME = "sightline.duckdb";

  private static final int MAX_IDLE_READERS = 8;

  /**
   * Knobs for tests; production uses {@link #DEFAULT}.
   *
   * @param rollEvery fold calls into the hourly rollups once this many are unrolled
   * @param exactLimit windows with at most this many calls get exact percentiles
   * @param schemaVersion migrate up to this version only (tests of migrations)
   * @param compactionSlack rollup rows allowed beyond twice the count after the last compaction
   * @param walCheckpointBytes the WAL size at which the upkeep checkpoints once a caller maintains
   * @param writerLanes connections that append a write's traces in parallel ({@link WriterLane})
   */
  record Tuning(long rollEvery, long exactLimit, int schemaVersion, long compactionSlack, long walCheckpointBytes,
      int writerLanes) {
    /**
     * Two lanes where there are two cores: the appends (row building, DuckDB's appender flushes)
     * are most of a write's cost and run in parallel on separate connections; one lane would leave
     * the second core to the other stages while every sender waits for the one committer.
     */
    static final int DEFAULT_LANES = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
    static final Tuning DEFAULT = new Tuning(100_000, 50_000, Schema.latestVersion(), 200_000);

    Tuning {
      if (writerLanes < 1) {
        throw new IllegalArgumentException("at least one writer lane");
      }
    }

    Tuning(long rollEvery, long exactLimit, int schemaVersion, long compactionSlack) {
      this(rollEvery, exactLimit, schemaVersion, compactionSlack, Upkeep.WAL_CHECKPOINT);
    }

    Tuning(long rollEvery, long exactLimit, int schemaVersion, long compactionSlack, long walCheckpointBytes) {
      this(rollEvery, exactLimit, schemaVersion, compactionSlack, walCheckpointBytes, DEFAULT_LANES);
    }
  }

  private final Path file;
  private final DuckDBConnection writerConnection;
  private final ConcurrentLinkedDeque<DuckDBConnection> idleReaders = new ConcurrentLinkedDeque<>();
  /** Serializes writes, re-pricing and close: the writer is single-threaded. */
  private final Object writeLock = new Object();
  private final Upkeep upkeep;
  /** The writer's connection and one more per extra writer lane. */
  private final List<DuckDBConnection> laneConnections;
  private volatile boolean closed;

  private final BatchWriter writer;
  private final int schemaVersion;
  private final TraceReader traces;
  private final CallReader calls;
  private final SummaryReader summaries;
  private final CostReader costs;
  private final ScoreReader scores;
  private final MetricReader metrics;
  private final AlertWriter alertWriter;
  private final AlertReader alerts;
  private final ServiceMapReader serviceMaps;
  private final RumReader realUsers;

  DuckDbStore(Path file, Tuning tuning, DuckDBConnection writerConnection) throws SQLException {
    this.file = file;
    this.writerConnection = writerConnection;
    List<DuckDBConnection> laneConnections = new ArrayList<>(List.of(writerConnection));
    for (int i = 1; i < tuning.writerLanes(); i++) {
      laneConnections.add((DuckDBConnection) writerConnection.duplicate());
    }
    this.laneConnections = List.copyOf(laneConnections);
    this.writer = new BatchWriter(this.laneConnections, tuning);
    this.upkeep = new Upkeep(file.resolveSibling(file.getFileName() + ".wal"), tuning.walCheckpointBytes(), writer,
        writerConnection, this::duplicateWriter);
    this.schemaVersion = tuning.schemaVersion();
    TraceIndex index = new TraceIndex(tuning.schemaVersion() >= 3);
    this.traces = new TraceReader(this, index);
    this.calls = new CallReader(this, index);
    this.summaries = new SummaryReader(this, tuning.exactLimit());
    this.costs = new CostReader(this);
    this.scores = new ScoreReader(this);
    this.metrics = new MetricReader(this);
    this.alertWriter = new AlertWriter(writerConnection);
    this.alerts = new AlertReader(this);
    this.serviceMaps = new ServiceMapReader(this);
    this.realUsers = new RumReader(this);
  }

  /** Reads where the last writer left off (see {@link BatchWriter#loadState}). */
  void loadWriterState() throws SQLException {
    writer.loadState();
  }

  /** The writer's connection, for tests that read DuckDB's own settings. */
  DuckDBConnection writerForTests() {
    return writerConnection;
  }

  /**
   * Opens (creating if needed) the store in {@code dataDir}, migrating its schema to this version,
   * with DuckDB's default threads (one per core).
   */
  public static DuckDbStore open(Path dataDir) {
    return open(dataDir, Tuning.DEFAULT, 0);
  }

  /**
   * As {@link #open(Path)}, with DuckDB limited to {@code threads} threads (its {@code threads}
   * setting; 1: no worker threads, each query runs on its caller's thread). 0 keeps DuckDB's default.
   */
  public static DuckDbStore open(Path dataDir, int threads) {
    return open(dataDir, Tuning.DEFAULT, threads);
  }

  /**
   * As {@link #open(Path, int)}, with DuckDB's memory for this database capped at
   * {@code memoryLimitBytes} (its {@code memory_limit}; larger queries spill to disk); 0 keeps DuckDB's
   * default, 80 % of the machine's memory.
   */
  public static DuckDbStore open(Path dataDir, int threads, long memoryLimitBytes) {
    return open(dataDir, Tuning.DEFAULT, threads, memoryLimitBytes);
  }

  static DuckDbStore open(Path dataDir, Tuning tuning) {
    return open(dataDir, tuning, 0);
  }

  static DuckDbStore open(Path dataDir, Tuning tuning, int threads) {
    return open(dataDir, tuning, threads, 0);
  }

  static DuckDbStore open(Path dataDir, Tuning tuning, int threads, long memoryLimitBytes) {
    return Opening.open(dataDir, tuning, threads, memoryLimitBytes);
  }

  // ---------------------------------------------------------------- writes

  @Override
  public void prepare(TelemetryBatch batch) {
    writer.prepare(batch);
  }

  @Override
  public void write(List<TelemetryBatch> batches) {
    List<SpanRows.SpanJson[]> encoded = writer.encode(batches);
    synchronized (writeLock) {
      ensureOpen();
      writer.write(batches, encoded);
    }
  }

  @Override
  public void write(List<TelemetryBatch> batches, BusRead read) {
    java.util.Objects.requireNonNull(read, "read");
    List<SpanRows.SpanJson[]> encoded = writer.encode(batches);
    synchronized (writeLock) {
      ensureOpen();
      writer.write(batches, encoded, read);
    }
  }

  @Override
  public List<BusPosition> busPositions(String group) {
    synchronized (writeLock) {
      ensureOpen();
      return writer.busPositions(group);
    }
  }

  /**
   * The first call hands the write path's upkeep to the caller (see {@link Upkeep}): from then on
   * writes neither fold rollups nor checkpoint, and this does both when due.
   */
  @Override
  public void maintain() {
    synchronized (writeLock) {
      ensureOpen();
      upkeep.run();
    }
  }

  /** A new connection to the same database, or null once the store is closed. */
  private DuckDBConnection duplicateWriter() throws SQLException {
    synchronized (writeLock) {
      return closed ? null : writerConnection.duplicate();
    }
  }

  /** The last sequence folded into the rollups (tests). */
  long rolledUpToSeq() {
    synchronized (writeLock) {
      return writer.watermark();
    }
  }

  @Override
  public RepriceResult reprice(RepriceRequest request, UnaryOperator<LlmCall> pricer) {
    synchronized (writeLock) {
      ensureOpen();
      return writer.reprice(request, pricer);
    }
  }

  @Override
  public void saveRule(StoredRule rule) {
    AlertRows.check(rule);
    synchronized (writeLock) {
      ensureOpen();
      alertWriter.saveRule(rule);
    }
  }

  @Override
  public boolean deleteRule(String id) {
    AlertRows.checkId(id);
    synchronized (writeLock) {
      ensureOpen();
      return alertWriter.deleteRule(id);
    }
  }

  @Override
  public void appendAlerts(List<AlertRecord> records) {
    AlertRows.check(records);
    synchronized (writeLock) {
      ensureOpen();
      alertWriter.append(records);
    }
  }

  /**
   * Deletes and clears in chunks of at most {@link Retention#DELETE_CHUNK} rows, each committed under
   * the write lock on its own, so writes wait for one chunk at most; then checkpoints, which frees
   * the deleted rows' blocks for reuse (the file keeps its size: see docs/storage.md).
   */
  @Override
  public RetentionResult applyRetention(Instant dataBefore, Instant contentBefore) {
    if (dataBefore == null && contentBefore == null) {
      return RetentionResult.none();
    }
    ensureOpen();
    RetentionResult r = new Retention(this::locked, schemaVersion).apply(dataBefore, contentBefore);
    if (r.deletedTotal() == 0 && r.contentClearedTotal() == 0) {
      return r;
    }
    return new RetentionResult(r.dataBefore(), r.contentBefore(), r.deleted(), r.contentCleared(), checkpoint());
  }

  /** Folds the WAL into the file and frees deleted rows' blocks; false (logged) when DuckDB declined. */
  private boolean checkpoint() {
    synchronized (writeLock) {
      ensureOpen();
      try (Statement s = writerConnection.createStatement()) {
        s.execute("CHECKPOINT");
        return true;
      } catch (SQLException e) {
        // e.g. a long read still running: the next automatic checkpoint frees the blocks instead
        LOG.info("Checkpoint after retention deferred: {}", e.getMessage());
        return false;
      }
    }
  }

  /** One unit of work in its own transaction on the writer connection, under the write lock. */
  private <T> T locked(String what, Sql.Read<T> unit) {
    synchronized (writeLock) {
      ensureOpen();
      try {
        Tx.begin(writerConnection);
        T result = unit.run(writerConnection);
        Tx.commit(writerConnection);
        return result;
      } catch (SQLException | RuntimeException e) {
        Tx.rollbackAfter(writerConnection, e);
        throw new StoreException(what + " failed and was rolled back (the chunks committed before stay done;"
            + " the next run continues): " + e.getMessage(), e);
      }
    }
  }

  @Override
  public StoreDiskUsage diskUsage() {
    return read("disk usage", c -> DiskUsageReader.read(c, file));
  }

  // ---------------------------------------------------------------- reads

  @Override
  public List<StoredRule> rules() {
    return alerts.rules();
  }

  @Override
  public List<AlertRecord> alertHistory(AlertHistoryQuery query) {
    return alerts.history(query);
  }

  /** Runs {@code read} in one snapshot on a reader connection from the pool. */
  <T> T read(String what, Sql.Read<T> read) {
    ensureOpen();
    DuckDBConnection c = idleReaders.pollFirst();
    try {
      if (c == null) {
        c = writerConnection.duplicate();
      }
      Tx.begin(c);
      T result = read.run(c);
      Tx.commit(c);
      release(c);
      return result;
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StoreException("Query for " + what + " failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  private void release(DuckDBConnection c) {
    if (closed || idleReaders.size() >= MAX_IDLE_READERS) {
      closeQuietly(c);
    } else {
      idleReaders.offerFirst(c);
    }
  }

  @Override
  public List<TraceSummary> traces(TraceQuery q) {
    return traces.traces(q);
  }

  @Override
  public Optional<TraceDetail> trace(String traceId, boolean details) {
    return traces.trace(traceId, details);
  }

  @Override
  public java.util.Map<String, TraceDetail> traces(java.util.Collection<String> traceIds, boolean details) {
    return traces.traces(traceIds, details);
  }

  @Override
  public Optional<Span> span(String traceId, String spanId) {
    return traces.span(traceId, spanId);
  }

  @Override
  public List<UnmappedKey> unmappedAttributes(Instant since, Instant until, int limit) {
    return traces.unmappedAttributes(since, until, limit);
  }

  @Override
  public List<ResourceValue> resourceValues(Instant since, Instant until, String key, int limit) {
    return traces.resourceValues(since, until, key, limit);
  }

  @Override
  public ServiceMap serviceMap(ServiceMapQuery q) {
    return serviceMaps.serviceMap(q);
  }

  @Override
  public RumSummary realUsers(RumQuery q) {
    return realUsers.realUsers(q);
  }

  @Override
  public List<LlmCall> calls(CallQuery q) {
    return calls.calls(q);
  }

  @Override
  public List<SummaryRow> summary(SummaryQuery q) {
    return summaries.summary(q);
  }

  @Override
  public List<SeriesGroup> series(SeriesQuery q) {
    return summaries.series(q);
  }

  @Override
  public CostReport cost(CostQuery q) {
    return costs.cost(q);
  }

  @Override
  public List<UnpricedModel> unpricedModels(Instant since, Instant until) {
    return costs.unpricedModels(since, until);
  }

  @Override
  public List<Score> scores(String traceId, String spanId) {
    return scores.scores(traceId, spanId);
  }

  @Override
  public java.util.Map<CallRef, List<Score>> latestScores(java.util.Collection<CallRef> calls) {
    return scores.latestScores(calls);
  }

  @Override
  public List<QualityRow> quality(QualityQuery query) {
    return scores.quality(query);
  }

  @Override
  public List<QualityPoint> qualitySeries(QualityQuery query) {
    return scores.qualitySeries(query);
  }

  @Override
  public List<MetricSeries> metricSeries(MetricQuery query) {
    return metrics.series(query);
  }

  @Override
  public List<MetricSample> latestSamples(MetricQuery query, int limit) {
    return metrics.latest(query, limit);
  }

  @Override
  public List<MetricName> metricNames(String prefix, String service, Instant since, Instant until, int limit) {
    return metrics.names(prefix, service, since, until, limit);
  }

  @Override
  public long spanCount() {
    return count("spans");
  }

  @Override
  public long callCount() {
    return count("llm_calls");
  }

  /** Number of stored log records. */
  public long logCount() {
    return count("logs");
  }

  /** Number of stored metric points. */
  public long metricPointCount() {
    return count("metric_points");
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  private long count(String table) {
    return read(table + " count", c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public void close() {
    upkeep.awaitCheckpoint(); // its connection keeps the database open: let it finish first
    synchronized (writeLock) {
      if (closed) {
        return;
      }
      closed = true;
      DuckDBConnection c;
      while ((c = idleReaders.pollFirst()) != null) {
        closeQuietly(c);
      }
      writer.close();
      for (int i = laneConnections.size() - 1; i >= 0; i--) {
        closeQuietly(laneConnections.get(i)); // the writer's own last
      }
      Opening.closed(file);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new StoreException("The store " + file + " is closed.");
    }
  }

  /** Epoch nanoseconds of {@code t}, saturating at the long range; {@code absent} when null. */
  static long nanos(Instant t, long absent) {
    return Sql.nanos(t, absent);
  }

  static void closeQuietly(java.sql.Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      LOG.debug("closing a DuckDB connection failed", e);
    }
  }
}
