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
 * @param minCommitInterval the least time from one commit's start to the next one's: under steady
 *     traffic what arrives in between goes into one commit (each commit has a fixed cost in the
 *     store, ~20 ms of CPU for DuckDB, so one per record would take cores at a few hundred
 *     records per second); after a quiet spell the next commit starts at once. Zero commits
 *     whatever is ready as soon as the previous commit ends.
 */
public record PipelineConfig(int queueCapacityRecords, int maxRecordsPerCommit, int processorThreads,
    Duration minCommitInterval) {
  /** The default {@link #minCommitInterval}: a receiver waits at most this much longer for its commit. */
  public static final Duration DEFAULT_MIN_COMMIT_INTERVAL = Duration.ofMillis(200);

  public PipelineConfig {
    if (queueCapacityRecords <= 0 || maxRecordsPerCommit <= 0 || processorThreads <= 0) {
      throw new IllegalArgumentException("pipeline sizes must be positive");
    }
    Objects.requireNonNull(minCommitInterval, "minCommitInterval");
    if (minCommitInterval.isNegative()) {
      throw new IllegalArgumentException("the minimum commit interval must not be negative");
    }
  }

  /** Sizes with no pacing between commits. */
  public PipelineConfig(int queueCapacityRecords, int maxRecordsPerCommit, int processorThreads) {
    this(queueCapacityRecords, maxRecordsPerCommit, processorThreads, Duration.ZERO);
  }

  public static PipelineConfig defaults() {
    return new PipelineConfig(200_000, 50_000, Math.max(1, Runtime.getRuntime().availableProcessors() - 1),
        DEFAULT_MIN_COMMIT_INTERVAL);
  }
}
