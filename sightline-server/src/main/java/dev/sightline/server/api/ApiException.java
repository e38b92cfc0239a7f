package dev.sightline.server.api;

/** A request the API refuses, with the HTTP status, a stable code and a message saying what to fix. */
final class ApiException extends RuntimeException {
  final int status;
  final String code;

  ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }
}
