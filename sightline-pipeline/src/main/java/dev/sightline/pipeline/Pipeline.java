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
 * receivers' futures. Commits are paced ({@link PipelineConfig#minCommitInterval}): under steady
 * traffic one starts no sooner than that after the previous one started. When the queue is full,
 * {@link #submit} refuses at once with {@link PipelineSaturatedException}, so memory stays bounded
 * and the sender retries. Requests also reserve their bytes in an {@link IngestMemory} budget before
 * they are decoded ({@link #admit}), and a {@link DiskGuard} refuses them while the disk is nearly full.
 */
public final class Pipeline implements Ingest, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

  private record Pending(TelemetryBatch batch, int records, CompletableFuture<Void> done) {}

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
        ready.add(new Pending(processed, permits, done));
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
    long lastStart = System.nanoTime() - interval;
    while (running.get() || !ready.isEmpty()) {
      try {
        Pending first = ready.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        group.add(first);
        int records = first.records();
        // paced: gather what arrives until the interval since the last commit's start is over
        // (at once when stopping or interrupted), then take what is ready
        long deadline = lastStart + interval;
        while (records < config.maxRecordsPerCommit()) {
          long wait = running.get() ? deadline - System.nanoTime() : 0;
          Pending next;
          try {
            next = wait > 0 ? ready.poll(wait, TimeUnit.NANOSECONDS) : ready.poll();
          } catch (InterruptedException e) {
            deadline = System.nanoTime(); // what is gathered is committed now
            continue;
          }
          if (next == null) {
            if (wait > 0) {
              continue; // the interval is over: take what is ready and commit
            }
            break;
          }
          group.add(next);
          records += next.records();
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
    }
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
