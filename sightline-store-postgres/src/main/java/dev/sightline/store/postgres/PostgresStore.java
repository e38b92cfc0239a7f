package dev.sightline.store.postgres;

import dev.sightline.model.LlmCall;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.AlertHistoryQuery;
import dev.sightline.store.AlertReader;
import dev.sightline.store.AlertRecord;
import dev.sightline.store.AlertRows;
import dev.sightline.store.AlertWriter;
import dev.sightline.store.BusPosition;
import dev.sightline.store.BusRead;
import dev.sightline.store.CallQuery;
import dev.sightline.store.CallRef;
import dev.sightline.store.CallReader;
import dev.sightline.store.CostQuery;
import dev.sightline.store.CostReader;
import dev.sightline.store.CostReport;
import dev.sightline.store.MetricName;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricReader;
import dev.sightline.store.MetricSample;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.QualityPoint;
import dev.sightline.store.QualityQuery;
import dev.sightline.store.QualityRow;
import dev.sightline.store.RepriceRequest;
import dev.sightline.store.RepriceResult;
import dev.sightline.store.ResourceValue;
import dev.sightline.store.RetentionResult;
import dev.sightline.store.RumQuery;
import dev.sightline.store.RumReader;
import dev.sightline.store.RumSummary;
import dev.sightline.store.ScoreReader;
import dev.sightline.store.SeriesGroup;
import dev.sightline.store.SeriesQuery;
import dev.sightline.store.ServiceMap;
import dev.sightline.store.ServiceMapReader;
import dev.sightline.store.ServiceMapQuery;
import dev.sightline.store.Store;
import dev.sightline.store.StoreDiskUsage;
import dev.sightline.store.StoreException;
import dev.sightline.store.StoreReads;
import dev.sightline.store.StoredRule;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryReader;
import dev.sightline.store.SummaryRow;
import dev.sightline.store.TraceDetail;
import dev.sightline.store.TraceQuery;
import dev.sightline.store.TraceReader;
import dev.sightline.store.TraceSummary;
import dev.sightline.store.UnmappedKey;
import dev.sightline.store.UnpricedModel;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} on a shared PostgreSQL database (issue 18's scale-out store): day-partitioned
 * tables written by binary COPY, one transaction per write, read by the DuckDB engine's readers
 * (their SQL is written so that both dialects run it; the migrations add the few DuckDB functions it
 * calls). Each write folds its calls into the hourly rollups in its own transaction; re-pricing
 * ({@link PgRepricing}) adjusts them by deltas. A bus write also keeps the ingest bus positions there
 * ({@link PgBusPositions}). A store may live in its own schema (one per project, {@link #projectSchema}).
 */
public final class PostgresStore implements Store, StoreReads {
  public static final int DEFAULT_POOL_SIZE = 8;
  /** Summary windows of at most this many calls get exact percentiles, larger ones histogram ones (as DuckDB). */
  private static final long EXACT_PERCENTILES_UP_TO = 50_000;

  /** Writes of this node between two looks at the rollups' size. */
  private static final int COMPACT_CHECK_EVERY = 1_000;
  /** Histogram rollup rows allowed beyond twice those left by the last compaction. */
  private static final long COMPACTION_SLACK = 100_000;
  /** SQLSTATE of a row that no partition takes (check_violation). */
  private static final String NO_PARTITION = "23514";
  /** SQLSTATE of a transaction rolled back to break a deadlock. */
  private static final String DEADLOCK = "40P01";
  private static final Logger LOG = LoggerFactory.getLogger(PostgresStore.class);

  private final PgConnections pool;
  private final AtomicLong writes = new AtomicLong();
  private volatile long rollupRowsAfterCompaction;
  private final String where;
  private final PgWriter writer = new PgWriter();
  private final TraceReader traces = new TraceReader(this);
  private final CallReader calls = new CallReader(this);
  private final SummaryReader summaries = new SummaryReader(this, EXACT_PERCENTILES_UP_TO);
  private final CostReader costs = new CostReader(this);
  private final ScoreReader scores = new ScoreReader(this);
  private final AlertReader alerts = new AlertReader(this);
  private final ServiceMapReader serviceMaps = new ServiceMapReader(this);
  private final RumReader realUsers = new RumReader(this);
  private final MetricReader metrics = new MetricReader(this);

  private PostgresStore(PgConnections pool, String where) {
    this.pool = pool;
    this.where = where;
  }

  /** Opens (and migrates) the database at {@code url} with the default pool size. */
  public static PostgresStore open(String url) {
    return open(url, DEFAULT_POOL_SIZE);
  }

  /**
   * Opens the database at {@code url} ({@code postgres://user:password@host:port/database} or a
   * {@code jdbc:postgresql:} URL), with at most {@code poolSize} connections, and migrates it. Tables
   * live where the URL's search path puts them (usually {@code public}).
   */
  public static PostgresStore open(String url, int poolSize) {
    return open(url, poolSize, null);
  }

  /**
   * As {@link #open(String, int)}, with every table, function and query in {@code schema} (created
   * when missing, migrated on its own): several stores, such as one per project
   * ({@link #projectSchema}), share one database without seeing each other's rows. A schema name is
   * 1 to 63 of {@code a-z 0-9 _ - ~}, starting with a letter or {@code _}; null means the URL's search path.
   */
  public static PostgresStore open(String url, int poolSize, String schema) {
    PgConnections pool = new PgConnections(url, poolSize, schema);
    String where = url.replaceAll(":[^:@/]*@", ":***@") + (schema == null ? "" : " (schema " + schema + ")");
    try {
      pool.use("Opening the PostgreSQL store at " + where, c -> {
        PgSchema.migrate(c, where, pool.schema());
        return null;
      });
      return new PostgresStore(pool, where);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /**
   * The schema of a Sightline project: {@code sightline} for the default project,
   * {@code sightline_<project>} for others; a name past PostgreSQL's 63 chars keeps its first 40 and
   * ends with {@code ~} and a hash of the whole (no project name has a {@code ~}, so none collides).
   */
  public static String projectSchema(String project) {
    if (project == null || !PROJECT.matcher(project).matches()) {
      throw new IllegalArgumentException("not a project name: '" + project + "' (1 to 64 of a-z 0-9 _ -, starting"
          + " with a letter or digit)");
    }
    if (project.equals(TelemetryBatch.DEFAULT_PROJECT)) {
      return "sightline";
    }
    String schema = "sightline_" + project;
    if (schema.length() <= 63) {
      return schema;
    }
    try {
      byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(project.getBytes(
          java.nio.charset.StandardCharsets.UTF_8));
      return "sightline_" + project.substring(0, 40) + "~" + java.util.HexFormat.of().formatHex(hash, 0, 6);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }

  private static final java.util.regex.Pattern PROJECT = java.util.regex.Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

  @Override
  public void write(List<TelemetryBatch> batches) {
    if (batches.isEmpty()) {
      return;
    }
    write(batches, null, "Write of " + batches.size() + " batch(es) to " + where + " (rolled back)");
  }

  /**
   * {@inheritDoc} The read's partitions' position rows are locked first in the write's transaction,
   * so a writer on another node that replays the same messages waits, then leaves them out.
   */
  @Override
  public void write(List<TelemetryBatch> batches, BusRead read) {
    Objects.requireNonNull(read, "read");
    if (read.origins().size() != batches.size()) {
      throw new IllegalArgumentException("a bus write has one origin per batch: " + read.origins().size()
          + " origins for " + batches.size() + " batches");
    }
    write(batches, read, "Bus write of " + batches.size() + " batch(es) to " + where + " (rolled back)");
  }

  @Override
  public List<BusPosition> busPositions(String group) {
    return pool.use("Reading the bus positions of " + group + " in " + where, c -> PgBusPositions.positions(c, group));
  }

  /**
   * Writes {@code batches} in one transaction, with a bus {@code read} (or null) only those whose
   * origin is not stored yet, and the read's positions. Rows are encoded before the transaction for
   * the batches that the positions then stored leave out; should the locked positions have moved
   * since (another node stored some), the rest are encoded again inside it.
   */
  private void write(List<TelemetryBatch> batches, BusRead read, String what) {
    pool.use(what, c -> {
      long seq = PgWriter.nextSeq(c);
      Map<PgBusPositions.Part, Long> next = read == null ? Map.of() : PgBusPositions.next(read);
      List<TelemetryBatch> guess = read == null ? batches : unstored(batches, read, PgBusPositions.peek(c, read));
      PgWriter.Rows guessed = writer.encode(guess, seq);
      for (int attempt = 1; ; attempt++) {
        writer.ensurePartitions(c, guessed);
        try {
          PgConnections.transaction(c, null, t -> {
            PgWriter.Rows rows = guessed;
            if (read != null) {
              List<TelemetryBatch> fresh = unstored(batches, read, PgBusPositions.lock(t, read.group(), next.keySet()));
              if (fresh.size() != guess.size()) { // positions only move forward: fewer, so no new partitions
                rows = writer.encode(fresh, seq);
              }
            }
            writer.write(t, rows, seq);
            if (read != null) {
              PgBusPositions.advance(t, read.group(), next);
            }
            return null;
          });
          break;
        } catch (SQLException e) {
          if (attempt > 2 || !(NO_PARTITION.equals(e.getSQLState()) || DEADLOCK.equals(e.getSQLState()))) {
            throw e;
          }
          // a partition this node knew of was dropped by retention (here or on another node), or
          // PostgreSQL broke a lock cycle with another writer by rolling this one back: again
          writer.forgetPartitions();
        }
      }
      if (writes.incrementAndGet() % COMPACT_CHECK_EVERY == 0) {
        compactIfDue(c);
      }
      return null;
    });
  }

  /** The batches whose origin lies at or above its partition's position in {@code positions}. */
  private static List<TelemetryBatch> unstored(List<TelemetryBatch> batches, BusRead read,
      Map<PgBusPositions.Part, Long> positions) {
    List<TelemetryBatch> out = new ArrayList<>(batches.size());
    for (int i = 0; i < batches.size(); i++) {
      if (!PgBusPositions.stored(positions, read.origins().get(i))) {
        out.add(batches.get(i));
      }
    }
    return out;
  }

  /**
   * Each write adds its own partial rollup rows; once they have grown well past what the last
   * compaction left, they are merged back (writers of every node wait for that one transaction).
   */
  private void compactIfDue(Connection c) {
    try {
      long rows;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM call_rollup_hist")) {
        rs.next();
        rows = rs.getLong(1);
      }
      if (rows > 2 * rollupRowsAfterCompaction + COMPACTION_SLACK) {
        rollupRowsAfterCompaction = PgWriter.compact(c);
      }
    } catch (SQLException e) {
      // the write is committed; the summary stays exact with more rows to sum, and a later look retries
      LOG.warn("Could not compact the summary rollups of {} (will retry): {}", where, e.getMessage());
    }
  }

  /** Merges the rollups' partial rows now; returns the histogram rows left (tests). */
  long compactRollups() {
    return pool.use("Compacting the rollups of " + where, c -> rollupRowsAfterCompaction = PgWriter.compact(c));
  }

  /** Runs {@code work} in one read-only snapshot (repeatable read) on a pooled connection. */
  @Override
  public <T> T read(String what, Work<T> work) {
    return pool.use("Query for " + what, c -> PgConnections.transaction(c,
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", t -> work.run(PgText.escaping(t))));
  }

  @Override
  public String tryDouble(String expr) {
    return "try_float8(" + expr + ")";
  }

  @Override
  public List<TraceSummary> traces(TraceQuery query) {
    return traces.traces(query);
  }

  @Override
  public Optional<TraceDetail> trace(String traceId, boolean details) {
    return traces.trace(traceId, details);
  }

  @Override
  public Map<String, TraceDetail> traces(Collection<String> traceIds, boolean details) {
    return traces.traces(traceIds, details);
  }

  @Override
  public Optional<Span> span(String traceId, String spanId) {
    return traces.span(traceId, spanId);
  }

  @Override
  public List<LlmCall> calls(CallQuery query) {
    return calls.calls(query);
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
  public long spanCount() {
    return count("spans");
  }

  @Override
  public long callCount() {
    return count("llm_calls");
  }

  private long count(String table) {
    return read(table + " count", c -> {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Runs {@code work} with an alert writer on a pooled connection (each of its calls is one transaction). */
  private <T> T withAlertWriter(java.util.function.Function<AlertWriter, T> work) {
    return pool.use("Alert write to " + where, c -> work.apply(new AlertWriter(PgText.escaping(c))));
  }

  @Override
  public RepriceResult reprice(RepriceRequest request, UnaryOperator<LlmCall> pricer) {
    return pool.use("Re-pricing on " + where + " (the chunks committed before stay re-priced; run it again to"
        + " finish)", c -> PgRepricing.run(c, request, pricer));
  }

  @Override
  public RetentionResult applyRetention(Instant dataBefore, Instant contentBefore) {
    return PgRetention.apply(new PgRetention.Tx() {
      @Override
      public <T> T run(String what, PgRetention.Step<T> step) {
        return inTransaction(what, step);
      }
    }, dataBefore, contentBefore);
  }

  @Override
  public StoreDiskUsage diskUsage() {
    return read("disk usage", PgRetention::diskUsage);
  }

  /** Runs {@code step} in one read-write transaction on a pooled connection. */
  private <T> T inTransaction(String what, PgRetention.Step<T> step) {
    return pool.use("The " + what, c -> PgConnections.transaction(c, null, t -> step.run(PgText.escaping(t))));
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public List<SummaryRow> summary(SummaryQuery query) {
    return summaries.summary(query);
  }

  @Override
  public List<SeriesGroup> series(SeriesQuery query) {
    return summaries.series(query);
  }

  @Override
  public List<UnpricedModel> unpricedModels(Instant since, Instant until) {
    return costs.unpricedModels(since, until);
  }

  @Override
  public CostReport cost(CostQuery query) {
    return costs.cost(query);
  }

  @Override
  public List<Score> scores(String traceId, String spanId) {
    return scores.scores(traceId, spanId);
  }

  @Override
  public Map<CallRef, List<Score>> latestScores(Collection<CallRef> calls) {
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
  public void saveRule(StoredRule rule) {
    AlertRows.check(rule);
    withAlertWriter(w -> {
      w.saveRule(rule);
      return null;
    });
  }

  @Override
  public boolean deleteRule(String id) {
    AlertRows.checkId(id);
    return withAlertWriter(w -> w.deleteRule(id));
  }

  @Override
  public List<StoredRule> rules() {
    return alerts.rules();
  }

  @Override
  public void appendAlerts(List<AlertRecord> records) {
    AlertRows.check(records);
    withAlertWriter(w -> {
      w.append(records);
      return null;
    });
  }

  @Override
  public List<AlertRecord> alertHistory(AlertHistoryQuery query) {
    return alerts.history(query);
  }

  @Override
  public ServiceMap serviceMap(ServiceMapQuery query) {
    return serviceMaps.serviceMap(query);
  }

  @Override
  public RumSummary realUsers(RumQuery query) {
    return realUsers.realUsers(query);
  }
}
