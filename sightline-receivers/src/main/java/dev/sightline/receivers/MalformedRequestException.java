package dev.sightline.receivers;

/** A body that is not an OTLP request at all (answered 400 / INVALID_ARGUMENT with this message). */
final class MalformedRequestException extends Exception {
  MalformedRequestException(String message) {
    super(message, null, false, false);
  }
}
