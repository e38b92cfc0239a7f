package dev.sightline.gateway;

import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  /** How long the recorder gathers calls into one batch under steady traffic (see {@link Recorder}). */
  static final Duration PACE = Duration.ofMillis(20);

  private final Ingest ingest;
  private final IngestCounters counters;
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);
  private final AtomicLong droppedSinceLog = new AtomicLong();
  /** The current group's records, per project (one batch each); touched only on the recorder's thread. */
  private final Map<String, List<Span>> group = new LinkedHashMap<>();
  private final Recorder recorder;

  TelemetryOut(Ingest ingest, IngestCounters counters) {
    this.ingest = ingest;
    this.counters = counters;
    this.recorder = new Recorder(PACE, this::submitGroup);
  }

  void request(long bytes) {
    counters.request(RECEIVER, bytes);
  }

  /** Hands the group's records to the pipeline as one batch per project (on the recorder's thread). */
  private void submitGroup() {
    try {
      for (Map.Entry<String, List<Span>> e : group.entrySet()) {
        submit(e.getKey(), List.copyOf(e.getValue()));
      }
    } finally {
      group.clear();
    }
  }

  private void submit(String project, List<Span> spans) {
    int n = spans.size();
    counters.add(RECEIVER, SIGNAL, IngestCounters.Outcome.RECEIVED, n);
    CompletableFuture<Void> commit;
    try {
      commit = ingest.submitUnattended(TelemetryBatch.ofSpans(RECEIVER, spans).withProject(project));
    } catch (RuntimeException e) {
      dropped(e, n);
      return;
    }
    if (commit == null) {
      dropped(new IllegalStateException("the pipeline returned no commit"), n);
      return;
    }
    commit.whenComplete((ok, err) -> {
      if (err != null) {
        dropped(err, n);
      }
    });
  }

  /**
   * Builds a finished call's record on the background recorder (building parses bodies and may
   * count tokens: never on an event loop) and submits it with the others of its group; counted as
   * dropped when the recorder is full or closed.
   */
  void record(Supplier<Span> build) {
    record(TelemetryBatch.DEFAULT_PROJECT, build);
  }

  /** As {@link #record(Supplier)}, into {@code project}'s batch. */
  void record(String project, Supplier<Span> build) {
    boolean queued = recorder.offer(() -> {
      try {
        Span span = build.get();
        if (span == null) {
          throw new IllegalStateException("no record was built for the call");
        }
        group.computeIfAbsent(project, p -> new ArrayList<>()).add(span);
      } catch (RuntimeException e) {
        // a bug in building the record must never reach the client's response
        receivedAndDropped(e);
      }
    });
    if (!queued) {
      receivedAndDropped(new IllegalStateException("the gateway's recorder is stopped or full ("
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
    return recorder.awaitFinished(timeout);
  }

  /** Records already handed over are built and submitted; later ones are dropped. */
  @Override
  public void close() {
    recorder.close();
  }

  /** One call that never reached a batch: received, and dropped. */
  private void receivedAndDropped(Throwable err) {
    counters.add(RECEIVER, SIGNAL, IngestCounters.Outcome.RECEIVED, 1);
    dropped(err, 1);
  }

  private void dropped(Throwable err, int calls) {
    counters.add(RECEIVER, SIGNAL, IngestCounters.Outcome.DROPPED, calls);
    long n = droppedSinceLog.addAndGet(calls);
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
