package dev.sightline.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reading half of the wire: every read is checked against the bytes left, and every failure is
 * a {@link BatchFormatException} that says what was being read, where, and in which record.
 */
final class ByteSource {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final byte[] buf;
  private final int limit;
  private int pos;
  private String[] strings = new String[64];
  private int stringCount;
  private final List<Map<String, Object>> maps = new ArrayList<>();
  /** Which record is being read, for messages: e.g. "span" and 3. */
  private String record;
  private int recordIndex;

  ByteSource(byte[] buf) {
    this.buf = buf;
    this.limit = buf.length;
  }

  int position() {
    return pos;
  }

  void skipHeader(int n) {
    pos = n;
  }

  int remaining() {
    return limit - pos;
  }

  void at(String record, int index) {
    this.record = record;
    this.recordIndex = index;
  }

  BatchFormatException error(String what) {
    return new BatchFormatException(what + " at byte " + pos + where());
  }

  private String where() {
    return record == null ? "" : " (in " + record + " " + recordIndex + ")";
  }

  private BatchFormatException truncated(String what, long needed) {
    return new BatchFormatException("truncated at byte " + limit + ": " + what + " at byte " + pos + " needs "
        + needed + " bytes, " + remaining() + " left" + where());
  }

  BatchFormatException unknownCode(String what, int code) {
    return error("unknown " + what + " code " + code);
  }

  int readByte() throws BatchFormatException {
    if (pos >= limit) {
      throw truncated("a byte", 1);
    }
    return buf[pos++] & 0xFF;
  }

  long readVarint() throws BatchFormatException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw truncated("a varint", 1);
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw error("a varint longer than 10 bytes");
  }

  long readZigzag() throws BatchFormatException {
    long v = readVarint();
    return (v >>> 1) ^ -(v & 1);
  }

  int readZigzagInt(String what) throws BatchFormatException {
    long v = readZigzag();
    if (v != (int) v) {
      throw error(what + " " + v + " is out of the int range");
    }
    return (int) v;
  }

  long readFixed64() throws BatchFormatException {
    if (limit - pos < 8) {
      throw truncated("a 64-bit value", 8);
    }
    long v = (long) LONG_LE.get(buf, pos);
    pos += 8;
    return v;
  }

  double readDouble() throws BatchFormatException {
    return Double.longBitsToDouble(readFixed64());
  }

  boolean readBoolean() throws BatchFormatException {
    int b = readByte();
    if (b > 1) {
      throw error("a boolean byte " + b);
    }
    return b == 1;
  }

  Boolean readNullableBoolean() throws BatchFormatException {
    int b = readByte();
    return switch (b) {
      case 0 -> null;
      case 1 -> Boolean.FALSE;
      case 2 -> Boolean.TRUE;
      default -> throw error("a nullable boolean byte " + b);
    };
  }

  Integer readNullableInt(String what) throws BatchFormatException {
    long v = readVarint();
    if (v == 0) {
      return null;
    }
    long zz = v - 1;
    if (zz < 0 || zz > 0xFFFF_FFFFL) {
      throw error(what + " is out of the int range");
    }
    int z = (int) zz;
    return (z >>> 1) ^ -(z & 1);
  }

  /**
   * A count of elements that each take at least {@code minBytes}: a count the bytes left cannot hold
   * is corrupt, and refusing it here is what keeps a hostile count from allocating.
   */
  int readCount(String what, int minBytes) throws BatchFormatException {
    long n = readVarint();
    if (n < 0 || n > remaining() / minBytes) {
      throw error("a " + what + " count of " + Long.toUnsignedString(n) + " is larger than the " + remaining()
          + " bytes left could hold");
    }
    return (int) n;
  }

  private int readLength(String what, long n) throws BatchFormatException {
    if (n < 0 || n > remaining()) {
      throw truncated(what + " of " + Long.toUnsignedString(n) + " bytes", n < 0 ? Long.MAX_VALUE : n);
    }
    return (int) n;
  }

  String readString() throws BatchFormatException {
    long v = readVarint();
    if (v == 0) {
      return null;
    }
    if ((v & 1) == 1) {
      long ref = v >>> 1;
      if (ref >= stringCount) {
        throw error("string reference " + ref + " points past the " + stringCount + " strings read so far");
      }
      return strings[(int) ref];
    }
    int len = readLength("a string", (v >>> 1) - 1);
    String s = new String(buf, pos, len, StandardCharsets.UTF_8);
    pos += len;
    if (stringCount == strings.length) {
      strings = Arrays.copyOf(strings, stringCount * 2);
    }
    strings[stringCount++] = s;
    return s;
  }

  String readRequiredString(String what) throws BatchFormatException {
    String s = readString();
    if (s == null) {
      throw error("a null " + what);
    }
    return s;
  }

  BigDecimal readDecimal() throws BatchFormatException {
    int kind = readByte();
    if (kind == 0) {
      return null;
    }
    int scale = readZigzagInt("a decimal scale");
    if (kind == 1) {
      return BigDecimal.valueOf(readZigzag(), scale);
    }
    if (kind == 2) {
      int len = readLength("a decimal's unscaled value", readVarint());
      if (len == 0) {
        throw error("an empty unscaled decimal value");
      }
      BigInteger unscaled = new BigInteger(buf, pos, len);
      pos += len;
      return new BigDecimal(unscaled, scale);
    }
    throw error("unknown decimal kind " + kind);
  }

  Map<String, Object> readAttributes(int depth) throws BatchFormatException {
    long v = readVarint();
    if (v == 0) {
      return Map.of();
    }
    if ((v & 1) == 1) {
      long ref = v >>> 1;
      if (ref >= maps.size()) {
        throw error("map reference " + ref + " points past the " + maps.size() + " maps read so far");
      }
      return maps.get((int) ref);
    }
    long n = v >>> 1;
    // an entry is at least a key and a tag byte
    if (n > remaining() / 2) {
      throw error("an attribute count of " + n + " is larger than the " + remaining() + " bytes left could hold");
    }
    int count = (int) n;
    Map<String, Object> m = LinkedHashMap.newLinkedHashMap(count);
    for (int i = 0; i < count; i++) {
      String key = readString();
      m.put(key, readValue(depth));
    }
    if (m.size() != count) {
      throw error("an attribute map repeats a key");
    }
    // unmodifiable: a map read once may be shared by many records (the writer's map references)
    Map<String, Object> shared = Collections.unmodifiableMap(m);
    maps.add(shared);
    return shared;
  }

  Object readValue(int depth) throws BatchFormatException {
    int tag = readByte();
    return switch (tag) {
      case Tags.NULL -> null;
      case Tags.STRING -> readString();
      case Tags.LONG -> readZigzag();
      case Tags.INT -> readZigzagInt("an int value");
      case Tags.DOUBLE -> readDouble();
      case Tags.FALSE -> Boolean.FALSE;
      case Tags.TRUE -> Boolean.TRUE;
      case Tags.BYTES -> {
        int len = readLength("a bytes value", readVarint());
        byte[] b = Arrays.copyOfRange(buf, pos, pos + len);
        pos += len;
        yield b;
      }
      case Tags.LIST -> {
        checkDepth(depth);
        int n = readCount("list", 1);
        List<Object> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          list.add(readValue(depth + 1));
        }
        yield Collections.unmodifiableList(list);
      }
      case Tags.MAP -> {
        checkDepth(depth);
        yield readAttributes(depth + 1);
      }
      default -> throw error("unknown attribute value tag " + tag);
    };
  }

  private void checkDepth(int depth) throws BatchFormatException {
    if (depth >= Tags.MAX_DEPTH) {
      throw error("lists and maps nested deeper than " + Tags.MAX_DEPTH);
    }
  }
}
