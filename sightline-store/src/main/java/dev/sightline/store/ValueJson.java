package dev.sightline.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text for attribute values (String, Long, Double, Boolean, byte[], List, Map) that reads back
 * as the same Java types. Plain JSON cannot tell bytes from text or carry NaN, so those travel as
 * one-key objects: {@code {"$bytes":"<base64>"}}, {@code {"$double":"NaN"}}; a real map whose only
 * key starts with {@code $} is wrapped as {@code {"$map":{…}}} so it cannot be mistaken for either.
 * Whole numbers read back as Long, fractional ones as Double; every string is cleaned of lone
 * surrogates on the way in.
 */
final class ValueJson {
  private ValueJson() {}

  private static final JsonMapper MAPPER = JsonMapper.builder()
      .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
      .build();

  // Written by hand rather than with a Jackson generator: this runs for every attribute map on the
  // store's single writer thread, where generator set-up per value cost more than the writing.
  private static final ThreadLocal<StringBuilder> BUFFER = ThreadLocal.withInitial(() -> new StringBuilder(1024));

  static String write(Object value) {
    if (value == null) {
      return null;
    }
    StringBuilder b = BUFFER.get();
    b.setLength(0);
    writeValue(b, value);
    String out = b.toString();
    if (b.capacity() > 1 << 20) {
      BUFFER.remove(); // don't keep a huge buffer around after one huge value
    }
    return out;
  }

  /** A map, or an empty map for null / empty text. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> readMap(String json) {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    Object v = read(json);
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  static Object read(String json) {
    if (json == null) {
      return null;
    }
    try (JsonParser p = MAPPER.createParser(json)) {
      p.nextToken();
      return readValue(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether {@code json} is one well-formed JSON object and nothing after it. */
  static boolean isObject(String json) {
    if (json == null) {
      return false;
    }
    try (JsonParser p = MAPPER.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      p.skipChildren();
      return p.nextToken() == null;
    } catch (IOException e) {
      return false;
    }
  }

  static String writeStrings(List<String> list) {
    // empty is the usual case (a span's unmapped keys, a call's tags): no buffer pass for it
    return list != null && list.isEmpty() ? "[]" : write(list);
  }

  static List<String> readStrings(String json) {
    Object v = read(json);
    if (!(v instanceof List<?> l)) {
      return List.of();
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) {
      out.add(o == null ? null : o.toString());
    }
    return out;
  }

  private static void writeValue(StringBuilder b, Object v) {
    switch (v) {
      case null -> b.append("null");
      case String s -> writeString(b, s);
      case Boolean bool -> b.append(bool.booleanValue());
      case Double d -> writeDouble(b, d);
      case Float f -> writeDouble(b, f.doubleValue());
      case Long l -> b.append(l.longValue());
      case Integer i -> b.append(i.longValue());
      case Short sh -> b.append(sh.longValue());
      case Byte by -> b.append(by.longValue());
      case java.math.BigInteger bi -> b.append(bi);
      case java.math.BigDecimal bd -> b.append(bd.toString());
      case byte[] bytes -> {
        b.append("{\"$bytes\":\"").append(Base64.getEncoder().encodeToString(bytes)).append("\"}");
      }
      case Map<?, ?> m -> {
        boolean wrap = m.size() == 1 && String.valueOf(m.keySet().iterator().next()).startsWith("$");
        b.append(wrap ? "{\"$map\":{" : "{");
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            b.append(',');
          }
          first = false;
          writeString(b, String.valueOf(e.getKey()));
          b.append(':');
          writeValue(b, e.getValue());
        }
        b.append(wrap ? "}}" : "}");
      }
      case Collection<?> c -> {
        b.append('[');
        boolean first = true;
        for (Object o : c) {
          if (!first) {
            b.append(',');
          }
          first = false;
          writeValue(b, o);
        }
        b.append(']');
      }
      case Object[] arr -> writeValue(b, java.util.Arrays.asList(arr));
      default -> writeString(b, v.toString());
    }
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** A JSON string; unpaired surrogates become U+FFFD (they have no UTF-8 form). */
  private static void writeString(StringBuilder b, String s) {
    b.append('"');
    int n = s.length();
    int run = 0; // start of the pending run of characters that need no escaping
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
        continue;
      }
      b.append(s, run, i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isSurrogate(c)) {
            b.append('\uFFFD');
          } else {
            b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
          }
        }
      }
      run = i + 1;
    }
    b.append(s, run, n).append('"');
  }

  private static void writeDouble(StringBuilder b, double d) {
    if (Double.isFinite(d)) {
      b.append(d);
    } else {
      b.append("{\"$double\":\"").append(d).append("\"}");
    }
  }

  private static Object readValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    return switch (t) {
      case VALUE_NULL -> null;
      case VALUE_STRING -> p.getText();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NUMBER_INT -> p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
          ? p.getBigIntegerValue() : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case START_ARRAY -> {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(readValue(p));
        }
        yield Collections.unmodifiableList(list);
      }
      case START_OBJECT -> readObject(p);
      default -> throw new IOException("unexpected JSON token " + t);
    };
  }

  private static Object readObject(JsonParser p) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String k = p.currentName();
      JsonToken v = p.nextToken();
      if (k.equals("$map") && m.isEmpty() && v == JsonToken.START_OBJECT) {
        // a real map whose only key starts with '$': its fields are taken as they are
        Map<String, Object> inner = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String ik = p.currentName();
          p.nextToken();
          inner.put(ik, readValue(p));
        }
        if (p.nextToken() != JsonToken.END_OBJECT) {
          throw new IOException("a $map wrapper must be the only field of its object");
        }
        return Collections.unmodifiableMap(inner);
      }
      m.put(k, readValue(p));
    }
    if (m.size() == 1) {
      Map.Entry<String, Object> e = m.entrySet().iterator().next();
      if (e.getKey().equals("$bytes") && e.getValue() instanceof String b64) {
        return Base64.getDecoder().decode(b64);
      }
      if (e.getKey().equals("$double") && e.getValue() instanceof String d) {
        return Double.valueOf(d);
      }
    }
    return Collections.unmodifiableMap(m);
  }
}
