package dev.sightline.store;

import java.time.Instant;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Which stored LLM calls to re-price ({@link Store#reprice}), and how to report progress.
 *
 * @param since calls that started at or after this
 * @param until calls that started before this; null: no end
 * @param model only calls whose request or response model is this (case-insensitive); null: every model
 * @param chunkCalls about how many calls each committed chunk holds (whole hours of calls per chunk)
 * @param progress told after each committed chunk; may be null
 * @param stop asked before each chunk; when it answers true the run ends after the chunks committed
 *     so far (safe to run again); may be null
 */
public record RepriceRequest(Instant since, Instant until, String model, int chunkCalls, Progress progress,
    BooleanSupplier stop) {

  public static final int DEFAULT_CHUNK_CALLS = 200_000;

  public RepriceRequest {
    Objects.requireNonNull(since, "since");
    if (until != null && !until.isAfter(since)) {
      throw new IllegalArgumentException("the end (" + until + ") must be after the start (" + since + ")");
    }
    model = model == null || model.isBlank() ? null : model.trim();
    if (chunkCalls <= 0) {
      chunkCalls = DEFAULT_CHUNK_CALLS;
    }
  }

  public RepriceRequest(Instant since, Instant until, String model) {
    this(since, until, model, DEFAULT_CHUNK_CALLS, null, null);
  }

  /** Progress of a re-pricing run, reported after each committed chunk. */
  @FunctionalInterface
  public interface Progress {
    /**
     * @param done calls examined so far
     * @param total calls the run will examine
     * @param changed calls whose stored cost changed so far
     */
    void update(long done, long total, long changed);
  }
}
