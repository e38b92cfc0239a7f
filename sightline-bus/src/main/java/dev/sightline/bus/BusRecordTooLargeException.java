package dev.sightline.bus;

/**
 * A single record (span, log, metric point or score) whose encoding alone exceeds the bus's message
 * limit ({@code max.request.size}): it is refused, never sent. Raise the limit on the producer and
 * on the topic ({@code max.message.bytes}) to carry it.
 */
public final class BusRecordTooLargeException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  BusRecordTooLargeException(String message) {
    super(message);
  }
}
