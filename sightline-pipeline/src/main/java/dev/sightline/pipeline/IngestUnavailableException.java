package dev.sightline.pipeline;

/**
 * Sightline cannot take records now for a reason the sender cannot fix by sending less (the disk
 * is nearly full); the sender should retry after a pause (HTTP 503, gRPC UNAVAILABLE).
 */
public final class IngestUnavailableException extends RuntimeException {
  private final int retryAfterSeconds;

  public IngestUnavailableException(String message, int retryAfterSeconds) {
    super(message, null, false, false);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public int retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
