package dev.sightline.store.postgres;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
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

  BinaryCopyWriter int4(int value) throws IOException {
    field(4);
    out.writeInt(value);
    return this;
  }

  BinaryCopyWriter int2(short value) throws IOException {
    field(2);
    out.writeShort(value);
    return this;
  }

  /**
   * A {@code numeric}: base-10000 digit groups around the decimal point, the weight of the first
   * group, the sign and the display scale (the scale of {@code value}, at least 0).
   */
  BinaryCopyWriter numeric(BigDecimal value) throws IOException {
    int dscale = Math.max(0, value.scale());
    String plain = value.abs().toPlainString();
    int dot = plain.indexOf('.');
    String whole = dot < 0 ? plain : plain.substring(0, dot);
    String fraction = dot < 0 ? "" : plain.substring(dot + 1);
    whole = "0".repeat((4 - whole.length() % 4) % 4) + whole;
    fraction = fraction + "0".repeat((4 - fraction.length() % 4) % 4);
    String digits = whole + fraction;
    int groups = digits.length() / 4;
    int weight = whole.length() / 4 - 1;
    int first = 0;
    int last = groups;
    while (first < last && digits.startsWith("0000", first * 4)) {
      first++;
      weight--;
    }
    while (last > first && digits.startsWith("0000", (last - 1) * 4)) {
      last--;
    }
    int n = last - first;
    field(8 + 2 * n);
    out.writeShort(n);
    out.writeShort(n == 0 ? 0 : weight);
    out.writeShort(value.signum() < 0 ? 0x4000 : 0);
    out.writeShort(dscale);
    for (int g = first; g < last; g++) {
      out.writeShort(Integer.parseInt(digits, g * 4, g * 4 + 4, 10));
    }
    return this;
  }

  /** SQL NULL. */
  BinaryCopyWriter nul() throws IOException {
    field(-1);
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
