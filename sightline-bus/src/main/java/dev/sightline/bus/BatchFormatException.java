package dev.sightline.bus;

/**
 * Bytes that are not a batch this build can read: wrong magic, a format version it does not know,
 * truncated or corrupt content. The message says what is wrong and at which byte.
 */
public final class BatchFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean newerVersion;

  public BatchFormatException(String message) {
    this(message, false);
  }

  BatchFormatException(String message, boolean newerVersion) {
    super(message);
    this.newerVersion = newerVersion;
  }

  /**
   * Whether the bytes are a batch in a format version this build does not read (a newer ingest
   * node's): not bad data, but a reader to upgrade.
   */
  public boolean newerVersion() {
    return newerVersion;
  }
}
