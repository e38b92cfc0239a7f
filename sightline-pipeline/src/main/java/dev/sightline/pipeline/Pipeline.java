package dev.sightline.pipeline;

import dev.sightline.model.TelemetryBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline between receivers and the store: a bounded queue (counted in records), processor
 * threads that run the {@link BatchProcessor}, and one committer thread that takes everything
 * waiting (up to a limit) and writes it in one transaction — group commit — before completing the
 * receivers' futures. A commit starts as soon as the previous one has ended when enough records
 * wait ({@link PipelineConfig#worthyCommitRecords}); only small groups are paced, waiting for
 * company until {@link PipelineConfig#minCommitInterval} after the previous commit's start. The
 * store's upkeep ({@link BatchSink#maintain}) runs after each commit's acknowledgements. When the queue is full,
 * {@link #submit} refuses at once with {@link PipelineSaturatedException}, so memory stays bounded
 * and the sender retries. Requests also reserve their bytes in an {@link IngestMemory} budget before
 * they are decoded ({@link #admit}), and a {@link DiskGuard} refuses them while the disk is nearly full.
 */
public final class Pipeline implements Ingest, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  /** @param attended whether a sender waits for this batch's commit */
  private record Pending(TelemetryBatch batch, int records, CompletableFuture<Void> done, boolean attended) {}

  private final BatchProcessor processor;
  private final BatchSink sink;
  private final IngestCounters counters;
  private final PipelineConfig config;
  private final Semaphore capacity;
  private final LinkedBlockingQueue<Pending> ready = new LinkedBlockingQueue<>();
  private final ExecutorService processors;
  private final Thread committer;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CommitStats commitStats = new CommitStats();
  private final IngestMemory memory;
  private final DiskGuard disk;

  public Pipeline(BatchProcessor processor, BatchSink sink, IngestCounters counters, PipelineConfig config) {
    this(processor, sink, counters, config, IngestMemory.unlimited(), DiskGuard.none());
  }

  public Pipeline(BatchProcessor processor, BatchSink sink, IngestCounters counters, PipelineConfig config,
      IngestMemory memory, DiskGuard disk) {
    this.memory = java.util.Objects.requireNonNull(memory, "memory");
    this.disk = java.util.Objects.requireNonNull(disk, "disk");
    this.processor = processor;
    this.sink = sink;
    this.counters = counters;
    this.config = config;
    this.capacity = new Semaphore(config.queueCapacityRecords());
    this.processors = Executors.newFixedThreadPool(config.processorThreads(), r -> {
      Thread t = new Thread(r, "sightline-processor");
      t.setDaemon(true);
      return t;
    });
    this.committer = new Thread(this::commitLoop, "sightline-committer");
    committer.setDaemon(true);
    committer.start();
  }

  @Override
  public IngestMemory.Reservation admit(long bytes) {
    disk.check();
    return memory.reserve(bytes);
  }

  @Override
  public CompletableFuture<Void> submit(TelemetryBatch batch) {
    return submit(batch, true);
  }

  @Override
  public CompletableFuture<Void> submitUnattended(TelemetryBatch batch) {
    return submit(batch, false);
  }

  private CompletableFuture<Void> submit(TelemetryBatch batch, boolean attended) {
    int records = Math.max(1, batch.size());
    if (!running.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("Sightline is shutting down"));
    }
    try {
      disk.check(); // the gateway and the scraper submit without admit()
    } catch (IngestUnavailableException e) {
      countAll(batch, IngestCounters.Outcome.DROPPED);
      throw e;
    }
    // A batch larger than the whole queue could never fit; let it through alone rather than refuse forever.
    int permits = Math.min(records, config.queueCapacityRecords());
    if (!capacity.tryAcquire(permits)) {
      countAll(batch, IngestCounters.Outcome.DROPPED);
      throw new PipelineSaturatedException(
          "Sightline's ingest queue is full (" + config.queueCapacityRecords() + " records waiting for the store)", 1);
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      processors.execute(() -> {
        TelemetryBatch processed;
        try {
          processed = processor.process(batch);
          sink.prepare(processed);
        } catch (RuntimeException e) {
          log.error("processing a batch from {} failed", batch.receiver(), e);
          capacity.release(permits);
          done.completeExceptionally(e);
          return;
        }
        ready.add(new Pending(processed, permits, done, attended));
      });
    } catch (RuntimeException e) {
      capacity.release(permits);
      throw new PipelineSaturatedException("Sightline is shutting down", 1);
    }
    return done;
  }

  /** Records accepted but not yet committed. */
  public int queuedRecords() {
    return config.queueCapacityRecords() - capacity.availablePermits();
  }

  /** The byte budget of requests in flight (for /metrics). */
  public IngestMemory memory() {
    return memory;
  }

  public PipelineConfig config() {
    return config;
  }

  public CommitStats commitStats() {
    return commitStats;
  }

  private void commitLoop() {
    List<Pending> group = new ArrayList<>();
    long interval = config.minCommitInterval().toNanos();
    long unattendedInterval = config.unattendedCommitInterval().toNanos();
    long lastStart = System.nanoTime() - unattendedInterval;
    while (running.get() || !ready.isEmpty()) {
      try {
        Pending first = ready.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        int records = drainReady(group, first.records());
        // a small group waits for company until the interval since the last commit's start is
        // over (a longer one when no sender in it waits), or until it is worth a commit; a worthy
        // one (or any group after a quiet spell, or while stopping) goes at once
        while (records < config.worthyCommitRecords() && records < config.maxRecordsPerCommit()
            && running.get()) {
          long wait = lastStart + (attended(group) ? interval : unattendedInterval) - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          Pending next;
          try {
            next = ready.poll(wait, TimeUnit.NANOSECONDS);
          } catch (InterruptedException e) {
            break; // what is gathered is committed now
          }
          if (next == null) {
            break;
          }
          group.add(next);
          records = drainReady(group, records + next.records());
        }
        lastStart = System.nanoTime();
        commit(group, records);
      } catch (InterruptedException e) {
        if (!running.get()) {
          continue;
        }
      } catch (Throwable t) {
        log.error("committer loop error", t);
      } finally {
        group.clear();
      }
      try {
        sink.maintain(); // after the acknowledgements: senders never wait for upkeep
      } catch (Throwable t) {
        log.warn("store upkeep after a commit failed (will retry after the next one): {}", t.getMessage());
      }
    }
  }

  private static boolean attended(List<Pending> group) {
    for (Pending p : group) {
      if (p.attended()) {
        return true;
      }
    }
    return false;
  }

  /** Adds what is ready now, up to the commit's limit; returns the group's records. */
  private int drainReady(List<Pending> group, int records) {
    while (records < config.maxRecordsPerCommit()) {
      Pending next = ready.poll();
      if (next == null) {
        break;
      }
      group.add(next);
      records += next.records();
    }
    return records;
  }

  private void commit(List<Pending> group, int records) {
    List<TelemetryBatch> batches = new ArrayList<>(group.size());
    for (Pending p : group) {
      batches.add(p.batch());
    }
    long t0 = System.nanoTime();
    Throwable failure = null;
    try {
      sink.write(batches);
    } catch (Throwable t) {
      failure = t;
      log.error("committing {} batches ({} records) failed; senders are told to retry", group.size(), records, t);
    }
    commitStats.record(System.nanoTime() - t0, failure == null);
    for (Pending p : group) {
      capacity.release(p.records());
      if (failure == null) {
        countAll(p.batch(), IngestCounters.Outcome.STORED);
        p.done().complete(null);
      } else {
        p.done().completeExceptionally(failure);
      }
    }
  }

  private void countAll(TelemetryBatch b, IngestCounters.Outcome outcome) {
    counters.add(b.receiver(), "spans", outcome, b.spans().size());
    counters.add(b.receiver(), "logs", outcome, b.logs().size());
    counters.add(b.receiver(), "metrics", outcome, b.metrics().size());
    if (!b.scores().isEmpty()) {
      counters.add(b.receiver(), "scores", outcome, b.scores().size());
    }
  }

  /** Stops accepting, commits what was accepted, and stops the threads. */
  @Override
  public void close() {
    if (!running.compareAndSet(true, false)) {
      return;
    }
    processors.shutdown();
    try {
      processors.awaitTermination(30, TimeUnit.SECONDS);
      committer.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
