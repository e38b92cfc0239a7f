package dev.sightline.pipeline;

/**
 * Sizing of the pipeline.
 *
 * @param queueCapacityRecords records (spans + logs + metric points) that may wait for a commit;
 *     beyond it, receivers are told to retry later
 * @param maxRecordsPerCommit the most records one group commit takes
 * @param processorThreads threads that normalize and price batches before they are committed
 */
public record PipelineConfig(int queueCapacityRecords, int maxRecordsPerCommit, int processorThreads) {
  public PipelineConfig {
    if (queueCapacityRecords <= 0 || maxRecordsPerCommit <= 0 || processorThreads <= 0) {
      throw new IllegalArgumentException("pipeline sizes must be positive");
    }
  }

  public static PipelineConfig defaults() {
    return new PipelineConfig(200_000, 50_000, Math.max(1, Runtime.getRuntime().availableProcessors() - 1));
  }
}
