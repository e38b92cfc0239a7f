package dev.sightline.server;

/** Sightline could not start (port taken, data dir unusable…); the message says what to do. */
public final class StartupException extends RuntimeException {
  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
