package dev.sightline.pipeline;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A byte budget for ingest requests in flight: a request reserves its body (as it arrives, and its
 * decompressed size) and keeps the reservation until it is answered, i.e. until its records are
 * committed. So request bodies being read, decoded batches and queued records together stay under
 * the budget however many clients send at once; over it, requests are refused with "retry later"
 * before they are decoded.
 */
public final class IngestMemory {
  /** Seconds a sender refused for memory is asked to wait. */
  public static final int RETRY_AFTER_SECONDS = 1;

  private final long budgetBytes;
  private final AtomicLong reserved = new AtomicLong();
  private final AtomicLong refusals = new AtomicLong();

  public IngestMemory(long budgetBytes) {
    if (budgetBytes <= 0) {
      throw new IllegalArgumentException("the ingest memory budget must be positive (got " + budgetBytes + " bytes)");
    }
    this.budgetBytes = budgetBytes;
  }

  /** No budget: reservations are counted but never refused. */
  public static IngestMemory unlimited() {
    return new IngestMemory(Long.MAX_VALUE);
  }

  /**
   * A quarter of the heap: decoded records take about 2–3× their protobuf size on the heap (measured
   * in docs/benchmarks.md), so a full budget leaves the rest of the heap to the store and the API.
   */
  public static long defaultBudget(long maxHeapBytes) {
    return Math.max(16L << 20, maxHeapBytes / 4);
  }

  /**
   * Reserves {@code bytes} for a new request.
   *
   * @throws PipelineSaturatedException when the budget is spent (answer 429 / RESOURCE_EXHAUSTED)
   */
  public Reservation reserve(long bytes) {
    Reservation r = new Reservation();
    if (!r.ensure(bytes)) {
      throw refusal();
    }
    return r;
  }

  /** The refusal a request gets when its reservation cannot grow. */
  public PipelineSaturatedException refusal() {
    return new PipelineSaturatedException("Sightline's ingest memory budget of " + budgetBytes
        + " bytes is spent by requests in flight (--ingest-memory)", RETRY_AFTER_SECONDS);
  }

  private boolean take(long n) {
    while (true) {
      long now = reserved.get();
      // one request larger than the whole budget still passes alone, so it is not refused forever
      if (now > 0 && now + n > budgetBytes) {
        refusals.incrementAndGet();
        return false;
      }
      if (reserved.compareAndSet(now, now + n)) {
        return true;
      }
    }
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** Bytes reserved by requests not yet answered. */
  public long reservedBytes() {
    return reserved.get();
  }

  /** Reservations refused since start. */
  public long refusals() {
    return refusals.get();
  }

  /** The bytes one request holds; released once when the request is answered. */
  public final class Reservation {
    private long held;
    private boolean released;

    private Reservation() {}

    /** Grows the reservation to at least {@code total} bytes; false (nothing changed) when over budget. */
    public synchronized boolean ensure(long total) {
      if (released || total <= held) {
        return !released;
      }
      if (!take(total - held)) {
        return false;
      }
      held = total;
      return true;
    }

    public synchronized long bytes() {
      return held;
    }

    public synchronized void release() {
      if (!released) {
        released = true;
        reserved.addAndGet(-held);
        held = 0;
      }
    }
  }
}
