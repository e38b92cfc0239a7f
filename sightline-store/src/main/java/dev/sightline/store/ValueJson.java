package dev.sightline.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringWriter;
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

  static String write(Object value) {
    if (value == null) {
      return null;
    }
    StringWriter w = new StringWriter();
    try (JsonGenerator g = MAPPER.createGenerator(w)) {
      writeValue(g, value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
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

  static String writeStrings(List<String> list) {
    return write(list);
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

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    switch (v) {
      case null -> g.writeNull();
      case String s -> g.writeString(Text.clean(s));
      case Boolean b -> g.writeBoolean(b);
      case Double d -> writeDouble(g, d);
      case Float f -> writeDouble(g, f.doubleValue());
      case Long l -> g.writeNumber(l);
      case Integer i -> g.writeNumber(i.longValue());
      case Short s -> g.writeNumber(s.longValue());
      case Byte b -> g.writeNumber(b.longValue());
      case java.math.BigInteger bi -> g.writeNumber(bi);
      case java.math.BigDecimal bd -> g.writeNumber(bd);
      case byte[] bytes -> {
        g.writeStartObject();
        g.writeStringField("$bytes", Base64.getEncoder().encodeToString(bytes));
        g.writeEndObject();
      }
      case Map<?, ?> m -> {
        boolean wrap = m.size() == 1 && String.valueOf(m.keySet().iterator().next()).startsWith("$");
        g.writeStartObject();
        if (wrap) {
          g.writeFieldName("$map");
          g.writeStartObject();
        }
        for (Map.Entry<?, ?> e : m.entrySet()) {
          g.writeFieldName(Text.clean(String.valueOf(e.getKey())));
          writeValue(g, e.getValue());
        }
        if (wrap) {
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      case Collection<?> c -> {
        g.writeStartArray();
        for (Object o : c) {
          writeValue(g, o);
        }
        g.writeEndArray();
      }
      case Object[] arr -> writeValue(g, java.util.Arrays.asList(arr));
      default -> g.writeString(Text.clean(v.toString()));
    }
  }

  private static void writeDouble(JsonGenerator g, double d) throws IOException {
    if (Double.isFinite(d)) {
      g.writeNumber(d);
    } else {
      g.writeStartObject();
      g.writeStringField("$double", Double.toString(d));
      g.writeEndObject();
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
