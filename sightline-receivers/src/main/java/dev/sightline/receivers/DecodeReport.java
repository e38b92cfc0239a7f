package dev.sightline.receivers;

import java.util.ArrayList;
import java.util.List;

/**
 * What one request lost or had changed while it was decoded: records rejected (with the first few
 * reasons), attributes dropped, values truncated, strings repaired. It becomes the OTLP
 * {@code partial_success} of the answer, so the sender learns what happened to its data.
 */
final class DecodeReport {
  private static final int MAX_REASONS = 3;
  private static final int MAX_NAME_CHARS = 64;

  private final ReceiverLimits limits;
  private int rejected;
  private final List<String> reasons = new ArrayList<>(MAX_REASONS);
  private long droppedAttributes;
  private int truncatedValues;
  private int repairedStrings;

  DecodeReport(ReceiverLimits limits) {
    this.limits = limits;
  }

  void reject(String reason) {
    rejected++;
    if (reasons.size() < MAX_REASONS) {
      reasons.add(reason);
    }
  }

  void droppedAttributes(long n) {
    droppedAttributes += n;
  }

  void truncatedValue() {
    truncatedValues++;
  }

  void repairedStrings(int n) {
    repairedStrings += n;
  }

  int rejected() {
    return rejected;
  }

  /** The partial-success message, or null when the request went through untouched. */
  String message(String noun) {
    List<String> parts = new ArrayList<>(4);
    if (rejected > 0) {
      parts.add(rejected + " " + noun + " rejected: " + String.join("; ", reasons)
          + (rejected > reasons.size() ? "; …" : ""));
    }
    if (droppedAttributes > 0) {
      parts.add(droppedAttributes + " attribute(s) over the limit of " + limits.maxAttributesPerRecord()
          + " per record were dropped (the count is kept in " + AttributeDecoder.DROPPED_COUNT_KEY + ")");
    }
    if (truncatedValues > 0) {
      parts.add(truncatedValues + " value(s) longer than " + limits.maxAttributeValueBytes()
          + " bytes were truncated (marked with …[truncated N bytes])");
    }
    if (repairedStrings > 0) {
      parts.add(repairedStrings + " string field(s) held invalid UTF-8 and were decoded with U+FFFD"
          + " replacement characters");
    }
    return parts.isEmpty() ? null : String.join(". ", parts);
  }

  /** A record's name as it may appear in a message: quoted and short. */
  static String quote(String name) {
    if (name.length() > MAX_NAME_CHARS) {
      name = name.substring(0, MAX_NAME_CHARS) + "…";
    }
    return "'" + name + "'";
  }
}
