package dev.sightline.model;

/** OTLP status code of a span. */
public enum SpanStatus {
  UNSET, OK, ERROR;

  /** From the OTLP enum number (0..2); unknown numbers map to UNSET. */
  public static SpanStatus fromOtlp(int number) {
    return switch (number) {
      case 1 -> OK;
      case 2 -> ERROR;
      default -> UNSET;
    };
  }
}
