package dev.sightline.pipeline;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Commit latency as a Prometheus-style histogram, plus failures. Written by one thread. */
public final class CommitStats {
  /** Upper bounds in seconds. */
  public static final double[] BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);
  private final AtomicLong count = new AtomicLong();
  private final AtomicLong sumNanos = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  void record(long nanos, boolean ok) {
    double s = nanos / 1e9;
    int i = 0;
    while (i < BOUNDS.length && s > BOUNDS[i]) {
      i++;
    }
    buckets.incrementAndGet(i);
    count.incrementAndGet();
    sumNanos.addAndGet(nanos);
    if (!ok) {
      failures.incrementAndGet();
    }
  }

  /** Non-cumulative count of commits in bucket i (i == BOUNDS.length is +Inf). */
  public long bucket(int i) {
    return buckets.get(i);
  }

  public long count() {
    return count.get();
  }

  public double sumSeconds() {
    return sumNanos.get() / 1e9;
  }

  public long failures() {
    return failures.get();
  }
}
