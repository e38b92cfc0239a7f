package dev.sightline.access;

/** The access file cannot be read or written; the message names the file and what to do. */
public final class AccessFileException extends RuntimeException {
  public AccessFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
