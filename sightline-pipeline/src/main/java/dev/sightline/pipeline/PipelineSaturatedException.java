package dev.sightline.pipeline;

/** The bounded queue in front of the store is full; the sender should retry after a pause. */
public final class PipelineSaturatedException extends RuntimeException {
  private final int retryAfterSeconds;

  public PipelineSaturatedException(String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
