package dev.sightline.server.config;

/**
 * What ingest may hold and needs before it refuses senders with a retry.
 *
 * @param memoryBytes bytes of request bodies and their records in flight at once (0: a quarter of the
 *     heap, see {@code IngestMemory.defaultBudget})
 * @param minFreeDiskBytes free space the data directory must keep; below it ingest answers 503
 * @param storeMemoryBytes DuckDB's memory_limit for each project's store (0: DuckDB's default, 80 % of RAM)
 */
public record IngestLimits(long memoryBytes, long minFreeDiskBytes, long storeMemoryBytes) {
  public static final long DEFAULT_MIN_FREE_DISK = 1L << 30;
  /** DuckDB's memory per project store: bounded, so that RSS stays heap + a known margin (queries spill past it). */
  public static final long DEFAULT_STORE_MEMORY = 1L << 30;

  public static IngestLimits defaults() {
    return new IngestLimits(0, DEFAULT_MIN_FREE_DISK, DEFAULT_STORE_MEMORY);
  }

  public IngestLimits {
    if (memoryBytes != 0 && memoryBytes < (1L << 20)) {
      throw new ConfigException("--ingest-memory must be at least 1MiB, got " + memoryBytes + " bytes");
    }
    if (storeMemoryBytes != 0 && storeMemoryBytes < (64L << 20)) {
      throw new ConfigException("--store-memory must be at least 64MiB, got " + storeMemoryBytes + " bytes");
    }
    if (minFreeDiskBytes < 0) {
      throw new ConfigException("--min-free-disk must be 0 or more, got " + minFreeDiskBytes);
    }
  }
}
