package dev.sightline.bus;

import dev.sightline.model.TelemetryBatch;
import java.util.Objects;

/**
 * The canonical batch encoding of the ingest bus: what ingest nodes publish and writer nodes read,
 * a compact, versioned binary form of a processed {@link TelemetryBatch} that decodes to an equal
 * batch (docs/bus-format.md).
 */
public final class BatchCodec {
  /** The first bytes of every encoded batch: "SLB". */
  static final byte[] MAGIC = {'S', 'L', 'B'};
  /** The format version this build writes. */
  public static final int VERSION = 1;
  /** What a reader of this build accepts; a newer writer's batches are refused, never misread. */
  static final int[] READABLE_VERSIONS = {1};

  private BatchCodec() {}

  /**
   * The batch in the bus's current format version.
   *
   * @throws IllegalArgumentException when the batch holds something the model does not allow: an
   *     attribute value of another type than String, Long, Integer, Double, Boolean, byte[], List or
   *     Map, lists and maps nested deeper than 128, or a null where a record or a list element is required
   */
  public static byte[] encode(TelemetryBatch batch) {
    Objects.requireNonNull(batch, "batch");
    // about 200 bytes a span is what realistic batches take; growing costs only a copy
    ByteSink out = new ByteSink(64 + batch.size() * 256);
    out.writeByte(MAGIC[0]);
    out.writeByte(MAGIC[1]);
    out.writeByte(MAGIC[2]);
    out.writeByte(VERSION);
    try {
      new BatchEncoder(out).batch(batch);
    } catch (NullPointerException e) {
      throw new IllegalArgumentException("the batch holds a null where a record or list element is required", e);
    }
    return out.toByteArray();
  }

  /**
   * The batch these bytes encode.
   *
   * @throws BatchFormatException when they are not a whole batch in a version this build reads; the
   *     message says what is wrong and at which byte. Nothing else is thrown, whatever the bytes.
   */
  public static TelemetryBatch decode(byte[] bytes) throws BatchFormatException {
    if (bytes == null) {
      throw new BatchFormatException("no bytes (null) instead of a batch");
    }
    if (bytes.length < MAGIC.length + 1) {
      throw new BatchFormatException("truncated at byte " + bytes.length + ": a batch starts with 4 header bytes");
    }
    if (bytes[0] != MAGIC[0] || bytes[1] != MAGIC[1] || bytes[2] != MAGIC[2]) {
      throw new BatchFormatException(String.format(
          "not a Sightline bus batch: it starts with 0x%02x%02x%02x, not the magic \"SLB\"",
          bytes[0] & 0xFF, bytes[1] & 0xFF, bytes[2] & 0xFF));
    }
    int version = bytes[3] & 0xFF;
    if (!readable(version)) {
      throw new BatchFormatException("batch format version " + version + " is not one this build reads (it reads "
          + readableVersions() + "): upgrade the writer nodes to the ingest nodes' release", version > VERSION);
    }
    ByteSource in = new ByteSource(bytes);
    try {
      in.skipHeader(MAGIC.length + 1);
      TelemetryBatch batch = new BatchDecoder(in).batch();
      if (in.remaining() != 0) {
        throw in.error(in.remaining() + " bytes after the end of the batch, starting");
      }
      return batch;
    } catch (RuntimeException e) {
      // a record's own checks (a score's name, non-negative token buckets…) refusing what the bytes say
      throw in.error("a record the model refuses (" + e + ")");
    }
  }

  private static boolean readable(int version) {
    for (int v : READABLE_VERSIONS) {
      if (v == version) {
        return true;
      }
    }
    return false;
  }

  static String readableVersions() {
    StringBuilder sb = new StringBuilder();
    for (int v : READABLE_VERSIONS) {
      sb.append(sb.isEmpty() ? "" : ", ").append(v);
    }
    return sb.toString();
  }
}
