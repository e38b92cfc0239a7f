package dev.sightline.gateway;

import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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
    boolean queued = recorder.offer(() -> {
      Span span;
      try {
        span = build.get();
      } catch (RuntimeException e) {
        // a bug in building the record must never reach the client's response
        failedToBuild(e);
        return;
      }
      submit(span);
    });
    if (!queued) {
      counters.add(RECEIVER, SIGNAL, IngestCounters.Outcome.RECEIVED, 1);
      dropped(new IllegalStateException("the gateway's recorder is stopped or full ("
          + Recorder.MAX_WAITING + " calls waiting to be recorded)"));
    }
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
