package dev.sightline.server.config;

/** A misconfiguration, with a message that says what to change. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
