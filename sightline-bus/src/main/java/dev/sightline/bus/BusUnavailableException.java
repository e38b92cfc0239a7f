package dev.sightline.bus;

/**
 * Kafka did not acknowledge every message of a write (unreachable, timed out, refused): the write's
 * senders are to retry. Some of its messages may have been published; see docs/scale-out.md.
 */
public final class BusUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  BusUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
