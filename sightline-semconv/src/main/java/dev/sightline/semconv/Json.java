package dev.sightline.semconv;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one JSON reader/writer of this module; it never throws on malformed input. */
final class Json {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(200).build());
  }

  private Json() {}

  /** Parses text into Maps, Lists, Strings, Numbers and Booleans; null when it is not JSON. */
  static Object parseOrNull(String text) {
    if (text == null) {
      return null;
    }
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    char c = t.charAt(0);
    if (c != '{' && c != '[' && c != '"') {
      return null;
    }
    try {
      return MAPPER.readValue(t, Object.class);
    } catch (Exception | StackOverflowError e) {
      return null;
    }
  }

  /** Serializes a value built from Maps/Lists/scalars; null if that is impossible. */
  static String write(Object value) {
    if (value == null) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException | RuntimeException | StackOverflowError e) {
      return null;
    }
  }
}
