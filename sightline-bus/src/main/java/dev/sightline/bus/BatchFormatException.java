package dev.sightline.bus;

/**
 * Bytes that are not a batch this build can read: wrong magic, a format version it does not know,
 * truncated or corrupt content. The message says what is wrong and at which byte.
 */
public final class BatchFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public BatchFormatException(String message) {
    super(message);
  }
}
