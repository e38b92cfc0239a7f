package dev.sightline.bus;

/** Tag bytes of attribute values and the nesting limit both sides of the wire share (docs/bus-format.md). */
final class Tags {
  private Tags() {}

  static final int NULL = 0;
  static final int STRING = 1;
  static final int LONG = 2;
  static final int INT = 3;
  static final int DOUBLE = 4;
  static final int FALSE = 5;
  static final int TRUE = 6;
  static final int BYTES = 7;
  static final int LIST = 8;
  static final int MAP = 9;

  /**
   * Lists and maps nested inside one value. Above what the receivers can produce (OTLP/JSON is read
   * with a nesting limit of 200, three JSON levels per AnyValue), far below what would exhaust a
   * thread's stack.
   */
  static final int MAX_DEPTH = 128;
}
