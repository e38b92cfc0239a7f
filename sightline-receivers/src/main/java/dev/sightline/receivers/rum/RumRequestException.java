package dev.sightline.receivers.rum;

/** A request refused as a whole (malformed body, too many events): its HTTP status, error code and the fix. */
final class RumRequestException extends Exception {
  final int status;
  final String code;

  RumRequestException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }
}
