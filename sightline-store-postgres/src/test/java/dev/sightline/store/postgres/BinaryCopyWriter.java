package dev.sightline.store.postgres;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Rows in PostgreSQL's binary COPY format (the "Binary Format" section of the COPY reference page):
 * a signature header, then per row a field count and per field a length and its big-endian value.
 */
final class BinaryCopyWriter implements AutoCloseable {
  private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};

  private final DataOutputStream out;
  private int fieldsLeft;

  BinaryCopyWriter(OutputStream out) throws IOException {
    this.out = new DataOutputStream(out);
    this.out.write(SIGNATURE);
    this.out.writeInt(0); // flags: no OIDs
    this.out.writeInt(0); // header extension length
  }

  BinaryCopyWriter row(int fields) throws IOException {
    if (fieldsLeft != 0) {
      throw new IllegalStateException(fieldsLeft + " field(s) of the previous row missing");
    }
    out.writeShort(fields);
    fieldsLeft = fields;
    return this;
  }

  BinaryCopyWriter int8(long value) throws IOException {
    field(8);
    out.writeLong(value);
    return this;
  }

  BinaryCopyWriter float8(double value) throws IOException {
    field(8);
    out.writeLong(Double.doubleToRawLongBits(value));
    return this;
  }

  BinaryCopyWriter bool(boolean value) throws IOException {
    field(1);
    out.writeByte(value ? 1 : 0);
    return this;
  }

  /** A {@code text} value in UTF-8 (the server encoding), or SQL NULL. */
  BinaryCopyWriter text(String value) throws IOException {
    if (value == null) {
      field(-1);
      return this;
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    field(bytes.length);
    out.write(bytes);
    return this;
  }

  private void field(int length) throws IOException {
    if (fieldsLeft-- <= 0) {
      throw new IllegalStateException("more fields than the row declared");
    }
    out.writeInt(length);
  }

  /** Writes the trailer and flushes; the caller ends the COPY. */
  @Override
  public void close() throws IOException {
    if (fieldsLeft != 0) {
      throw new IllegalStateException(fieldsLeft + " field(s) of the last row missing");
    }
    out.writeShort(-1);
    out.flush();
  }
}
