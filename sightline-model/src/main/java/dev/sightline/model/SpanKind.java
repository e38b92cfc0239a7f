package dev.sightline.model;

/** OTLP span kind. */
public enum SpanKind {
  UNSPECIFIED, INTERNAL, SERVER, CLIENT, PRODUCER, CONSUMER;

  /** From the OTLP enum number (0..5); unknown numbers map to UNSPECIFIED. */
  public static SpanKind fromOtlp(int number) {
    SpanKind[] all = values();
    return number >= 0 && number < all.length ? all[number] : UNSPECIFIED;
  }
}
