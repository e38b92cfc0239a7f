package dev.sightline.access;

/**
 * A key just created: its description and its secret text, which is shown to the user once and
 * never stored (only its hash is).
 */
public record CreatedKey(KeyInfo info, String secret) {
  @Override
  public String toString() {
    return "CreatedKey[info=" + info + ", secret=<hidden>]";
  }
}
