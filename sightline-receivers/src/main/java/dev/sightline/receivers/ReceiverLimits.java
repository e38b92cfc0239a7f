package dev.sightline.receivers;

/**
 * Bounds that every receiver applies to what it accepts (ARCHITECTURE.md §8).
 *
 * @param maxRequestBytes largest request body, counted after decompression too (413 above it)
 * @param maxAttributesPerRecord attributes kept per span, event, log record or data point; the
 *     rest are dropped and counted in {@code sightline.dropped_attributes_count}
 * @param maxAttributeValueBytes longest string or bytes value (UTF-8 bytes); longer values are cut
 *     and end with {@code …[truncated N bytes]}
 */
public record ReceiverLimits(long maxRequestBytes, int maxAttributesPerRecord, int maxAttributeValueBytes) {

  public static final long DEFAULT_MAX_REQUEST_BYTES = 16L * 1024 * 1024;
  public static final int DEFAULT_MAX_ATTRIBUTES_PER_RECORD = 1024;
  public static final int DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES = 256 * 1024;

  public ReceiverLimits {
    if (maxRequestBytes < 1024 || maxRequestBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxRequestBytes must be between 1024 and " + (Integer.MAX_VALUE - 8)
          + " (got " + maxRequestBytes + "); the default is " + DEFAULT_MAX_REQUEST_BYTES);
    }
    if (maxAttributesPerRecord < 1) {
      throw new IllegalArgumentException("maxAttributesPerRecord must be at least 1 (got "
          + maxAttributesPerRecord + "); the default is " + DEFAULT_MAX_ATTRIBUTES_PER_RECORD);
    }
    if (maxAttributeValueBytes < 64) {
      throw new IllegalArgumentException("maxAttributeValueBytes must be at least 64 (got "
          + maxAttributeValueBytes + "); the default is " + DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES);
    }
  }

  /** 16 MiB requests, 1024 attributes per record, 256 KiB per attribute value. */
  public static ReceiverLimits defaults() {
    return new ReceiverLimits(DEFAULT_MAX_REQUEST_BYTES, DEFAULT_MAX_ATTRIBUTES_PER_RECORD,
        DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES);
  }
}
