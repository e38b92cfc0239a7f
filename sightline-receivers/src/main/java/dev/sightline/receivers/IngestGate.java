package dev.sightline.receivers;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.pipeline.IngestMemory;
import dev.sightline.pipeline.IngestUnavailableException;
import dev.sightline.pipeline.PipelineSaturatedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Where the receivers hand decoded requests to the pipeline, count them, and learn how the
 * commit went. The answer waits for the commit (acknowledged means durable) without blocking.
 * Public only so that the RUM receiver's package shares it; not an API for other modules.
 */
public final class IngestGate {
  /** Seconds a sender is asked to wait when the commit failed for another reason than a full queue. */
  public static final int RETRY_AFTER_FAILED_COMMIT_SECONDS = 5;

  /** How the commit of one request went. */
  public sealed interface Outcome {
    record Committed() implements Outcome {}

    record Saturated(int retryAfterSeconds, String message) implements Outcome {}

    /** Not committed (a failed commit, or the disk nearly full): 503 / UNAVAILABLE. */
    record Failed(String message, int retryAfterSeconds) implements Outcome {
      public Failed(String message) {
        this(message, RETRY_AFTER_FAILED_COMMIT_SECONDS);
      }
    }
  }

  /** A request let in (its reservation to release once answered) or refused (the outcome to answer). */
  public record Admission(IngestMemory.Reservation reservation, Outcome refusal) {
    public boolean admitted() {
      return refusal == null;
    }
  }

  private static final CompletableFuture<Outcome> COMMITTED = CompletableFuture.completedFuture(new Outcome.Committed());

  private final Ingest ingest;
  private final IngestCounters counters;

  public IngestGate(Ingest ingest, IngestCounters counters) {
    this.ingest = ingest;
    this.counters = counters;
  }

  /**
   * Asks the pipeline to let a request of {@code bytes} (0 when not known yet) in before its body is
   * read and decoded: refused while the ingest memory budget is spent (Saturated) or the disk is
   * nearly full (Failed).
   */
  public Admission admit(long bytes) {
    try {
      IngestMemory.Reservation r = ingest.admit(Math.max(0, bytes));
      return new Admission(r, null);
    } catch (RuntimeException e) {
      return new Admission(null, outcomeOf(e));
    }
  }

  public void countRequest(String receiver, long bytes) {
    counters.request(receiver, bytes);
  }

  /**
   * Submits spans decoded outside the OTLP package (the RUM receiver) as data of {@code project},
   * counting {@code rejected} beside them.
   */
  public CompletableFuture<Outcome> submitSpans(TelemetryBatch batch, int rejected, String project) {
    return submit(new Decoded(Signal.TRACES, batch, rejected, null), project);
  }

  /**
   * Hands a decoded request to the pipeline as data of {@code project} (the one its ingest key
   * allowed): the one place where received batches get their project.
   */
  CompletableFuture<Outcome> submit(Decoded decoded, String project) {
    Decoded d = new Decoded(decoded.signal(), decoded.batch().withProject(project), decoded.rejected(), decoded.message());
    String receiver = d.batch().receiver();
    String signal = d.signal().counterName;
    counters.add(receiver, signal, IngestCounters.Outcome.RECEIVED, d.batch().size());
    counters.add(receiver, signal, IngestCounters.Outcome.REJECTED, d.rejected());
    if (d.batch().size() == 0) {
      return COMMITTED;
    }
    CompletableFuture<Void> commit;
    try {
      commit = ingest.submit(d.batch());
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(outcomeOf(e));
    }
    if (commit == null) {
      return CompletableFuture.completedFuture(new Outcome.Failed("the pipeline returned no commit"));
    }
    return commit.handle((ok, err) -> err == null ? new Outcome.Committed() : outcomeOf(err));
  }

  static Outcome outcomeOf(Throwable err) {
    while ((err instanceof CompletionException || err instanceof ExecutionException) && err.getCause() != null) {
      err = err.getCause();
    }
    if (err instanceof PipelineSaturatedException s) {
      return new Outcome.Saturated(Math.max(1, s.retryAfterSeconds()),
          "Sightline's ingest queue is full; retry after " + Math.max(1, s.retryAfterSeconds()) + " s"
              + (s.getMessage() == null ? "" : " (" + s.getMessage() + ")"));
    }
    if (err instanceof IngestUnavailableException u) {
      return new Outcome.Failed(u.getMessage(), Math.max(1, u.retryAfterSeconds()));
    }
    return new Outcome.Failed("the records could not be committed; retry after "
        + RETRY_AFTER_FAILED_COMMIT_SECONDS + " s (" + err.getClass().getSimpleName()
        + (err.getMessage() == null ? "" : ": " + err.getMessage()) + ")");
  }
}
