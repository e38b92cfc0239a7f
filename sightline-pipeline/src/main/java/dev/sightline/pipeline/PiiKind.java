package dev.sightline.pipeline;

/** The kinds of personal data and secrets {@link PiiMasker} finds, each with the mask it leaves. */
enum PiiKind {
  EMAIL("email"),
  PHONE("phone"),
  CARD("card"),
  IBAN("iban"),
  NATIONAL_ID("national-id"),
  API_KEY("api-key"),
  PRIVATE_KEY("private-key"),
  JWT("jwt");

  /** The name in counters and metric labels. */
  final String label;
  /** What replaces a finding: no quote or backslash, so a masked JSON string stays valid JSON. */
  final String mask;

  PiiKind(String label) {
    this.label = label;
    this.mask = "[" + label + "]";
  }
}
