package dev.sightline.gateway;

import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands recorded calls to the pipeline, fail-open: proxying never waits for the commit, and a
 * refused or failed submit is counted as dropped and logged at most once a minute. Records are
 * built on the {@link Recorder}'s background thread, not on the event loop that relayed the call.
 */
final class TelemetryOut implements AutoCloseable {
  static final String RECEIVER = "gateway";
  static final String SIGNAL = "spans";
  private static final Logger log = LoggerFactory.getLogger(TelemetryOut.class);
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  private final Ingest ingest;
  private final IngestCounters counters;
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private final AtomicLong droppedSinceLog = new AtomicLong();
  private final Recorder recorder = new Recorder();
  /** Calls handed to {@link #record} whose record is not yet submitted (or counted as dropped). */
  private final AtomicInteger unsubmitted = new AtomicInteger();

  TelemetryOut(Ingest ingest, IngestCounters counters) {
    this.ingest = ingest;
    this.counters = counters;
  }

  void request(long bytes) {
    counters.request(RECEIVER, bytes);
  }

  void submit(Span span) {
    counters.add(RECEIVER, SIGNAL, IngestCounters.Outcome.RECEIVED, 1);
    CompletableFuture<Void> commit;
    try {
      commit = ingest.submit(TelemetryBatch.ofSpans(RECEIVER, List.of(span)));
    } catch (RuntimeException e) {
      dropped(e);
      return;
    }
    if (commit == null) {
      dropped(new IllegalStateException("the pipeline returned no commit"));
      return;
    }
    commit.whenComplete((ok, err) -> {
      if (err != null) {
        dropped(err);
      }
    });
  }

  /**
   * Builds and submits a finished call's record on the background recorder (building parses
   * bodies and may count tokens: never on an event loop); counted as dropped when the recorder
   * is full or closed.
   */
  void record(Supplier<Span> build) {
    unsubmitted.incrementAndGet();
    boolean queued = recorder.offer(() -> {
      try {
        Span span;
        try {
          span = build.get();
        } catch (RuntimeException e) {
          // a bug in building the record must never reach the client's response
          failedToBuild(e);
          return;
        }
        submit(span);
      } finally {
        unsubmitted.decrementAndGet();
      }
    });
    if (!queued) {
      unsubmitted.decrementAndGet();
      counters.add(RECEIVER, SIGNAL, IngestCounters.Outcome.RECEIVED, 1);
      dropped(new IllegalStateException("the gateway's recorder is stopped or full ("
          + Recorder.MAX_WAITING + " calls waiting to be recorded)"));
    }
  }

  /**
   * Waits until every call handed to {@link #record} so far has been submitted to the pipeline
   * (or counted as dropped); false if some were still waiting after {@code timeout}. The relay
   * hands a call over before its client sees the response end, so after a client has read a
   * response, this returning true means the call's record is in the pipeline.
   */
  boolean awaitSubmitted(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (unsubmitted.get() > 0) {
      if (System.nanoTime() >= deadline) {
        return false;
      }
      try {
        TimeUnit.MILLISECONDS.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Records already handed over are built and submitted; later ones are dropped. */
  @Override
  public void close() {
    recorder.close();
  }

  /** Building the record failed (a bug): the call is counted as dropped, the client never notices. */
  private void failedToBuild(RuntimeException e) {
    dropped(e);
  }

  private void dropped(Throwable err) {
    counters.add(RECEIVER, SIGNAL, IngestCounters.Outcome.DROPPED, 1);
    long n = droppedSinceLog.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= LOG_EVERY_NANOS && lastLog.compareAndSet(last, now)) {
      droppedSinceLog.addAndGet(-n);
      Throwable cause = err.getCause() != null && err.getClass().getName().startsWith("java.util.concurrent")
          ? err.getCause() : err;
      log.warn("gateway telemetry dropped ({} call(s) since the last warning; proxying goes on): {}", n,
          cause.toString());
    }
  }
}
