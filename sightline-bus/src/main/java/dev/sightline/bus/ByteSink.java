package dev.sightline.bus;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writing half of the wire: a growing buffer with varints, fixed 64-bit values, strings through
 * the batch's string table and attribute values through its map table (docs/bus-format.md).
 */
final class ByteSink {
  private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int MAX_BYTES = Integer.MAX_VALUE - 16;

  private byte[] buf;
  private int pos;
  private final StringRefs strings = new StringRefs();
  private final IdentityHashMap<Map<?, ?>, Integer> maps = new IdentityHashMap<>();

  ByteSink(int initialCapacity) {
    buf = new byte[Math.max(64, initialCapacity)];
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, pos);
  }

  private void ensure(int n) {
    if (buf.length - pos < n) {
      long need = (long) pos + n;
      if (need > MAX_BYTES) {
        throw new IllegalArgumentException("the encoded batch would be larger than 2 GiB");
      }
      buf = Arrays.copyOf(buf, (int) Math.min(MAX_BYTES, Math.max(need, buf.length * 2L)));
    }
  }

  void writeByte(int b) {
    ensure(1);
    buf[pos++] = (byte) b;
  }

  void writeVarint(long v) {
    ensure(10);
    byte[] b = buf;
    int p = pos;
    while ((v & ~0x7FL) != 0) {
      b[p++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    b[p++] = (byte) v;
    pos = p;
  }

  void writeZigzag(long v) {
    writeVarint((v << 1) ^ (v >> 63));
  }

  void writeFixed64(long v) {
    ensure(8);
    LONG_LE.set(buf, pos, v);
    pos += 8;
  }

  void writeDouble(double d) {
    // raw bits: NaN payloads, -0.0 and infinities come back exactly
    writeFixed64(Double.doubleToRawLongBits(d));
  }

  void writeBoolean(boolean b) {
    writeByte(b ? 1 : 0);
  }

  /** 0 null, 1 false, 2 true. */
  void writeNullableBoolean(Boolean b) {
    writeByte(b == null ? 0 : b ? 2 : 1);
  }

  /** 0 null, else zigzag(v) + 1. */
  void writeNullableInt(Integer v) {
    if (v == null) {
      writeVarint(0);
    } else {
      int i = v;
      writeVarint(Integer.toUnsignedLong((i << 1) ^ (i >> 31)) + 1);
    }
  }

  private void writeRaw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, pos, b.length);
    pos += b.length;
  }

  /**
   * A string: 0 for null, {@code ref << 1 | 1} for one written earlier in this batch, else
   * {@code (length + 1) << 1} and its UTF-8 bytes, which the reader then remembers too.
   */
  void writeString(String s) {
    if (s == null) {
      writeVarint(0);
      return;
    }
    int ref = strings.find(s);
    if (ref >= 0) {
      writeVarint(((long) ref << 1) | 1);
      return;
    }
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeVarint(((long) b.length + 1) << 1);
    writeRaw(b);
  }

  /** A string where the model allows no null (list elements that are copied with List.copyOf). */
  void writeRequiredString(String s, String what) {
    if (s == null) {
      throw new IllegalArgumentException(what + " holds a null string");
    }
    writeString(s);
  }

  /** Kind byte 0 null, 1 long-sized unscaled value, 2 big unscaled value; then scale and value. */
  void writeDecimal(BigDecimal d) {
    if (d == null) {
      writeByte(0);
      return;
    }
    BigInteger unscaled = d.unscaledValue();
    if (unscaled.bitLength() < 64) {
      writeByte(1);
      writeZigzag(d.scale());
      writeZigzag(unscaled.longValue());
    } else {
      writeByte(2);
      writeZigzag(d.scale());
      byte[] b = unscaled.toByteArray();
      writeVarint(b.length);
      writeRaw(b);
    }
  }

  /**
   * An attribute map: 0 when empty, {@code ref << 1 | 1} for the same map object written earlier in
   * this batch (resource attributes are one map shared by a resource's spans), else
   * {@code count << 1} and its entries.
   */
  void writeAttributes(Map<?, ?> m, int depth) {
    if (m.isEmpty()) {
      writeVarint(0);
      return;
    }
    Integer ref = maps.get(m);
    if (ref != null) {
      writeVarint(((long) ref << 1) | 1);
      return;
    }
    writeVarint((long) m.size() << 1);
    int written = 0;
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (!(e.getKey() instanceof String) && e.getKey() != null) {
        throw new IllegalArgumentException("an attribute map has a key of type " + e.getKey().getClass().getName());
      }
      writeString((String) e.getKey());
      writeValue(e.getValue(), depth);
      written++;
    }
    if (written != m.size()) {
      throw new IllegalArgumentException("an attribute map changed while it was encoded");
    }
    // registered after its entries, as the reader does, so that indexes agree and a map can never refer to itself
    maps.put(m, maps.size());
  }

  /** An attribute value or body: a tag byte (docs/bus-format.md) and its payload. */
  void writeValue(Object v, int depth) {
    if (v == null) {
      writeByte(Tags.NULL);
    } else if (v instanceof String s) {
      writeByte(Tags.STRING);
      writeString(s);
    } else if (v instanceof Long l) {
      writeByte(Tags.LONG);
      writeZigzag(l);
    } else if (v instanceof Double d) {
      writeByte(Tags.DOUBLE);
      writeDouble(d);
    } else if (v instanceof Boolean b) {
      writeByte(b ? Tags.TRUE : Tags.FALSE);
    } else if (v instanceof Integer i) {
      writeByte(Tags.INT);
      writeZigzag(i);
    } else if (v instanceof byte[] b) {
      writeByte(Tags.BYTES);
      writeVarint(b.length);
      writeRaw(b);
    } else if (v instanceof List<?> list) {
      checkDepth(depth);
      writeByte(Tags.LIST);
      writeVarint(list.size());
      int written = 0;
      for (Object o : list) {
        writeValue(o, depth + 1);
        written++;
      }
      if (written != list.size()) {
        throw new IllegalArgumentException("a list value changed while it was encoded");
      }
    } else if (v instanceof Map<?, ?> m) {
      checkDepth(depth);
      writeByte(Tags.MAP);
      writeAttributes(m, depth + 1);
    } else {
      throw new IllegalArgumentException("an attribute value of type " + v.getClass().getName()
          + " cannot be encoded (the model allows String, Long, Integer, Double, Boolean, byte[], List and Map)");
    }
  }

  private static void checkDepth(int depth) {
    if (depth >= Tags.MAX_DEPTH) {
      throw new IllegalArgumentException("an attribute value nests lists and maps deeper than " + Tags.MAX_DEPTH
          + " (or refers to itself)");
    }
  }

  /**
   * The batch's string table on the writing side: short strings by content (keys and values repeat
   * across spans as different objects), long ones by identity (content JSON is often the very
   * attribute string, and hashing it would cost more than it saves).
   */
  private static final class StringRefs {
    private static final int BY_CONTENT_MAX_CHARS = 128;
    private String[] keys = new String[256];
    private int[] refs = new int[256];
    private int size;
    private int count;
    private IdentityHashMap<String, Integer> byIdentity;

    /** The string's index if it was written before, else -1 after giving it the next index. */
    int find(String s) {
      if (s.length() > BY_CONTENT_MAX_CHARS) {
        if (byIdentity == null) {
          byIdentity = new IdentityHashMap<>();
        }
        Integer ref = byIdentity.putIfAbsent(s, count);
        if (ref != null) {
          return ref;
        }
        count++;
        return -1;
      }
      int mask = keys.length - 1;
      int h = s.hashCode();
      int i = (h ^ (h >>> 16)) & mask;
      for (String k; (k = keys[i]) != null; i = (i + 1) & mask) {
        if (k == s || k.equals(s)) {
          return refs[i];
        }
      }
      keys[i] = s;
      refs[i] = count++;
      if (++size * 2 > keys.length) {
        grow();
      }
      return -1;
    }

    private void grow() {
      String[] oldKeys = keys;
      int[] oldRefs = refs;
      keys = new String[oldKeys.length * 2];
      refs = new int[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int j = 0; j < oldKeys.length; j++) {
        String k = oldKeys[j];
        if (k != null) {
          int h = k.hashCode();
          int i = (h ^ (h >>> 16)) & mask;
          while (keys[i] != null) {
            i = (i + 1) & mask;
          }
          keys[i] = k;
          refs[i] = oldRefs[j];
        }
      }
    }
  }
}
