package dev.sightline.server.retention;

import dev.sightline.store.RetentionResult;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each project's retention on a schedule: every {@code interval} (first run shortly after
 * start) it asks the supplier for the projects, deletes and clears what their days say is expired as
 * of the clock's now, logs what went and counts it for /metrics.
 */
public final class RetentionJob implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RetentionJob.class);
  public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);
  static final Duration FIRST_RUN_DELAY = Duration.ofSeconds(30);

  private final Supplier<List<RetentionTarget>> targets;
  private final InstantSource clock;
  private final Duration interval;
  /** project → kind (table name, or content_TABLE for cleared content) → rows. */
  private final Map<String, Map<String, AtomicLong>> counters = new ConcurrentHashMap<>();
  private final AtomicLong failures = new AtomicLong();
  private ScheduledExecutorService scheduler;

  public RetentionJob(Supplier<List<RetentionTarget>> targets, InstantSource clock, Duration interval) {
    this.targets = targets;
    this.clock = clock;
    this.interval = interval == null || interval.isNegative() || interval.isZero() ? DEFAULT_INTERVAL : interval;
  }

  public RetentionJob(Supplier<List<RetentionTarget>> targets) {
    this(targets, InstantSource.system(), DEFAULT_INTERVAL);
  }

  /** Starts the schedule on its own daemon thread. */
  public synchronized void start() {
    if (scheduler != null) {
      return;
    }
    scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "sightline-retention");
      t.setDaemon(true);
      return t;
    });
    scheduler.scheduleWithFixedDelay(this::runOnce, FIRST_RUN_DELAY.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /**
   * One pass over every target, now by the clock; a project that fails is logged and counted and
   * the others still run. Returns each project's result (projects without retention are absent).
   */
  public Map<String, RetentionResult> runOnce() {
    Map<String, RetentionResult> out = new TreeMap<>();
    List<RetentionTarget> list;
    try {
      list = targets.get();
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      LOG.warn("Retention skipped: the list of projects could not be read: {}", e.getMessage());
      return out;
    }
    Instant now = clock.instant();
    for (RetentionTarget t : list == null ? List.<RetentionTarget>of() : list) {
      if (t == null || t.store() == null || t.dataDays() == null && t.contentDays() == null) {
        continue;
      }
      try {
        RetentionResult r = t.store().applyRetention(before(now, t.dataDays()), before(now, t.contentDays()));
        out.put(t.project(), r);
        count(t.project(), r);
        if (r.deletedTotal() > 0 || r.contentClearedTotal() > 0) {
          LOG.info("Retention of project {}: deleted {} (data before {}), cleared content of {} (before {})",
              t.project(), r.deleted(), r.dataBefore(), r.contentCleared(), r.contentBefore());
        }
      } catch (RuntimeException e) {
        failures.incrementAndGet();
        LOG.warn("Retention of project {} failed (what was committed stays done; the next run continues): {}",
            t.project(), e.getMessage());
      }
    }
    return out;
  }

  private static Instant before(Instant now, Integer days) {
    return days == null ? null : now.minus(Duration.ofDays(days));
  }

  private void count(String project, RetentionResult r) {
    Map<String, AtomicLong> c = counters.computeIfAbsent(project, p -> new ConcurrentHashMap<>());
    r.deleted().forEach((table, n) -> c.computeIfAbsent(table, k -> new AtomicLong()).addAndGet(n));
    r.contentCleared().forEach((table, n) -> c.computeIfAbsent("content_" + table, k -> new AtomicLong()).addAndGet(n));
  }

  /** Rows deleted (kind: table) and content cleared (kind: content_TABLE) since start, per project. */
  public Map<String, Map<String, Long>> deletedTotals() {
    Map<String, Map<String, Long>> out = new TreeMap<>();
    counters.forEach((p, kinds) -> {
      Map<String, Long> m = new TreeMap<>();
      kinds.forEach((k, v) -> m.put(k, v.get()));
      out.put(p, m);
    });
    return out;
  }

  /** Passes that failed for a project (or could not list them) since start. */
  public long failures() {
    return failures.get();
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
