package dev.sightline.access;

import java.util.Locale;

/** What a key may do: send telemetry, read through the API and UI, or stand in for a provider key at the gateway. */
public enum KeyKind {
  INGEST("ingest", "sl_ingest_"),
  READ("read", "sl_read_"),
  VIRTUAL("virtual", "sl_vk_");

  private final String wireName;
  private final String secretPrefix;

  KeyKind(String wireName, String secretPrefix) {
    this.wireName = wireName;
    this.secretPrefix = secretPrefix;
  }

  /** The name in the access file, the CLI and the API: {@code ingest}, {@code read}, {@code virtual}. */
  public String wireName() {
    return wireName;
  }

  /** How the key's text starts, so that a leaked key is recognisable (and greppable by secret scanners). */
  public String secretPrefix() {
    return secretPrefix;
  }

  /**
   * The kind with this wire name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted kinds
   */
  public static KeyKind parse(String name) {
    String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
    for (KeyKind k : values()) {
      if (k.wireName.equals(n)) {
        return k;
      }
    }
    throw new IllegalArgumentException("key kind '" + name + "' is not one of ingest, read, virtual");
  }
}
