package dev.sightline.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Refuses ingest while the data directory's usable space is below a minimum, so a full disk never
 * half-writes a commit that was going to be acknowledged. The free space is read at most once per
 * {@code recheck} (a statfs per request would cost more than the check is worth).
 */
public final class DiskGuard {
  /** The default minimum free space: 1 GiB. */
  public static final long DEFAULT_MIN_FREE_BYTES = 1L << 30;
  /** Seconds a refused sender is asked to wait: freeing disk takes a person, not a moment. */
  public static final int RETRY_AFTER_SECONDS = 30;

  private final Path dataDir;
  private final long minFreeBytes;
  private final LongSupplier usableBytes;
  private final long recheckNanos;
  private volatile long checkedAt;
  private volatile long lastUsable = Long.MAX_VALUE;
  private volatile boolean checked;

  /**
   * @param usableBytes the usable space now (a test supplies its own)
   * @param recheck how long a reading is trusted; zero reads it on every check
   */
  public DiskGuard(Path dataDir, long minFreeBytes, LongSupplier usableBytes, Duration recheck) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir").toAbsolutePath().normalize();
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("--min-free-disk must not be negative (got " + minFreeBytes + " bytes)");
    }
    this.minFreeBytes = minFreeBytes;
    this.usableBytes = Objects.requireNonNull(usableBytes, "usableBytes");
    this.recheckNanos = recheck.toNanos();
  }

  /** Watches the file system that holds {@code dataDir}, read at most once a second. */
  public static DiskGuard of(Path dataDir, long minFreeBytes) {
    return new DiskGuard(dataDir, minFreeBytes, () -> usableSpace(dataDir), Duration.ofSeconds(1));
  }

  /** Never refuses. */
  public static DiskGuard none() {
    return new DiskGuard(Path.of("."), 0, () -> Long.MAX_VALUE, Duration.ofDays(365));
  }

  private static long usableSpace(Path dir) {
    try {
      return Files.getFileStore(Files.exists(dir) ? dir : dir.toAbsolutePath().getParent()).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return Long.MAX_VALUE; // cannot tell: do not refuse on a guess; a failed commit still answers an error
    }
  }

  /**
   * @throws IngestUnavailableException when the usable space is below the minimum
   */
  public void check() {
    if (minFreeBytes == 0) {
      return;
    }
    long now = System.nanoTime();
    if (!checked || now - checkedAt >= recheckNanos) {
      lastUsable = usableBytes.getAsLong();
      checkedAt = now;
      checked = true;
    }
    long usable = lastUsable;
    if (usable < minFreeBytes) {
      throw new IngestUnavailableException("Sightline refuses new records: only " + size(usable)
          + " free on the disk of the data dir " + dataDir + ", below the minimum of " + size(minFreeBytes)
          + " (--min-free-disk); free some space (or lower --min-free-disk) and retry", RETRY_AFTER_SECONDS);
    }
  }

  public long minFreeBytes() {
    return minFreeBytes;
  }

  static String size(long bytes) {
    if (bytes >= 1L << 30) {
      return String.format(java.util.Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
    if (bytes >= 1L << 20) {
      return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
    return bytes + " bytes";
  }
}
