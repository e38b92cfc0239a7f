package dev.sightline.pipeline;

import java.time.Duration;
import java.util.Objects;

/**
 * Sizing of the pipeline.
 *
 * @param queueCapacityRecords records (spans + logs + metric points) that may wait for a commit;
 *     beyond it, receivers are told to retry later
 * @param maxRecordsPerCommit the most records one group commit takes
 * @param processorThreads threads that normalize and price batches before they are committed
 * @param minCommitInterval how long a small group may wait for company: when fewer than
 *     {@code worthyCommitRecords} records are ready, the committer gathers what arrives until this
 *     much time has passed since the previous commit started (each commit has a fixed cost in the
 *     store, ~20 ms of CPU for DuckDB, so one per gateway call would take cores at a few hundred
 *     calls per second); after a quiet spell the next commit starts at once. Zero commits
 *     whatever is ready as soon as the previous commit ends.
 * @param worthyCommitRecords records that make a commit worth its fixed cost: once this many are
 *     ready, the commit starts as soon as the previous one has ended, without pacing, so under
 *     heavy ingest the committer never idles while senders wait
 * @param unattendedCommitInterval the same as {@code minCommitInterval} for a small group in which
 *     no sender waits ({@link Ingest#submitUnattended}: the gateway's records, scrapes, scores)
 */
public record PipelineConfig(int queueCapacityRecords, int maxRecordsPerCommit, int processorThreads,
    Duration minCommitInterval, int worthyCommitRecords, Duration unattendedCommitInterval) {
  /** The default {@link #minCommitInterval}: a small group waits at most this much longer for its commit. */
  public static final Duration DEFAULT_MIN_COMMIT_INTERVAL = Duration.ofMillis(200);
  /**
   * The default {@link #worthyCommitRecords}: at ~15–20 µs of store work per record, a thousand
   * records cost about as much as the commit itself, so bigger groups are not worth waiting for.
   */
  public static final int DEFAULT_WORTHY_COMMIT_RECORDS = 1_000;
  /**
   * The default {@link #unattendedCommitInterval}: a busy gateway's records cost one commit a
   * second (each several milliseconds of CPU) and show up in the store at most about a second late.
   */
  public static final Duration DEFAULT_UNATTENDED_COMMIT_INTERVAL = Duration.ofSeconds(1);

  public PipelineConfig {
    if (queueCapacityRecords <= 0 || maxRecordsPerCommit <= 0 || processorThreads <= 0) {
      throw new IllegalArgumentException("pipeline sizes must be positive");
    }
    Objects.requireNonNull(minCommitInterval, "minCommitInterval");
    if (minCommitInterval.isNegative()) {
      throw new IllegalArgumentException("the minimum commit interval must not be negative");
    }
    if (worthyCommitRecords <= 0) {
      throw new IllegalArgumentException("the records worth a commit must be positive");
    }
    Objects.requireNonNull(unattendedCommitInterval, "unattendedCommitInterval");
    if (unattendedCommitInterval.compareTo(minCommitInterval) < 0) {
      throw new IllegalArgumentException("unattended batches cannot be committed sooner than attended ones");
    }
  }

  /** Paced sizes whose unattended batches are paced like the others. */
  public PipelineConfig(int queueCapacityRecords, int maxRecordsPerCommit, int processorThreads,
      Duration minCommitInterval, int worthyCommitRecords) {
    this(queueCapacityRecords, maxRecordsPerCommit, processorThreads, minCommitInterval, worthyCommitRecords,
        minCommitInterval);
  }

  /** Paced sizes with the default {@link #worthyCommitRecords}. */
  public PipelineConfig(int queueCapacityRecords, int maxRecordsPerCommit, int processorThreads,
      Duration minCommitInterval) {
    this(queueCapacityRecords, maxRecordsPerCommit, processorThreads, minCommitInterval,
        DEFAULT_WORTHY_COMMIT_RECORDS, minCommitInterval);
  }

  /** Sizes with no pacing between commits. */
  public PipelineConfig(int queueCapacityRecords, int maxRecordsPerCommit, int processorThreads) {
    this(queueCapacityRecords, maxRecordsPerCommit, processorThreads, Duration.ZERO);
  }

  /** The same sizes and pacing with another queue capacity. */
  public PipelineConfig withQueueCapacity(int records) {
    return new PipelineConfig(records, maxRecordsPerCommit, processorThreads, minCommitInterval, worthyCommitRecords,
        unattendedCommitInterval);
  }

  /**
   * Defaults: one processor thread per core, at least two. Processing (normalize, redact, price,
   * encode) costs about as much per record as the commit, so one thread would cap ingest on its own
   * while the committer waits on the disk.
   */
  public static PipelineConfig defaults() {
    return new PipelineConfig(200_000, 50_000, Math.max(2, Runtime.getRuntime().availableProcessors()),
        DEFAULT_MIN_COMMIT_INTERVAL, DEFAULT_WORTHY_COMMIT_RECORDS, DEFAULT_UNATTENDED_COMMIT_INTERVAL);
  }
}
