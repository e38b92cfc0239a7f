package dev.sightline.receivers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Locale;

/**
 * Reads the scalar under a streaming parser's current token the way OTLP/JSON senders write it
 * (int64 as numbers or strings, ids as hex or base64, enums as names or numbers), and moves past
 * a record that could not be read. Values read as Jackson's tree would have given them.
 */
final class JsonScalars {
  private static final byte[] HEX_DIGIT = new byte[128];

  static {
    java.util.Arrays.fill(HEX_DIGIT, (byte) -1);
    for (int c = 0; c < 128; c++) {
      HEX_DIGIT[c] = (byte) Character.digit(c, 16);
    }
  }

  /** A field that cannot be read; the message names the field and what was wrong with it. */
  static final class BadField extends Exception {
    BadField(String message) {
      super(message, null, false, false);
    }
  }

  private JsonScalars() {}

  static boolean isScalar(JsonToken t) {
    return t != null && t.isScalarValue();
  }

  /** Skips the value under the current token (a whole object or array when it starts one). */
  static void skip(JsonParser p) throws IOException {
    if (p.currentToken().isStructStart()) {
      p.skipChildren();
    }
  }

  /**
   * After a field of a record failed: moves to the last token read at the record's own level,
   * wherever inside it the failure happened, so that its remaining fields can be walked.
   */
  static void unwindTo(JsonParser p, JsonStreamContext record) throws IOException {
    JsonToken t = p.currentToken();
    if (t != null && t.isStructStart()) {
      p.skipChildren();
    }
    while (p.getParsingContext() != record) {
      t = p.nextToken();
      if (t == null) {
        return;
      }
      if (t.isStructStart()) {
        p.skipChildren();
      }
    }
  }

  /** The current scalar as text, as the tree's {@code asText()} gave it. */
  static String text(JsonParser p) throws IOException {
    return switch (p.currentToken()) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> Integer.toString(p.getIntValue());
        case LONG -> Long.toString(p.getLongValue());
        default -> p.getBigIntegerValue().toString();
      };
      case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      default -> "null";
    };
  }

  /** A string field: scalars read as their text, null as empty. */
  static String string(JsonParser p, String name) throws IOException, BadField {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return "";
    }
    if (!t.isScalarValue()) {
      throw new BadField(name + ": expected a string, got " + describe(p));
    }
    return text(p);
  }

  static boolean bool(JsonParser p, String name) throws IOException, BadField {
    switch (p.currentToken()) {
      case VALUE_TRUE:
        return true;
      case VALUE_FALSE:
      case VALUE_NULL:
        return false;
      case VALUE_STRING:
        String t = p.getText();
        if (t.equals("true") || t.equals("false")) {
          return Boolean.parseBoolean(t);
        }
        break;
      default:
        break;
    }
    throw new BadField(name + ": expected true or false, got " + describe(p));
  }

  /** An int64/uint64/fixed64 written as a JSON number or a decimal string (as OTLP/JSON requires). */
  static long int64(JsonParser p, String name) throws IOException, BadField {
    try {
      switch (p.currentToken()) {
        case VALUE_NULL:
          return 0;
        case VALUE_NUMBER_INT:
          return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
              ? p.getBigIntegerValue().longValue() : p.getLongValue();
        case VALUE_NUMBER_FLOAT:
          return new BigDecimal(Double.toString(p.getDoubleValue())).toBigIntegerExact().longValue();
        case VALUE_STRING:
          long quick = decimal(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
          return quick != NOT_SIMPLE ? quick : int64Text(p.getText());
        default:
          break;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // fall through to the message below
    }
    throw new BadField(name + ": expected an integer (number or decimal string), got " + describe(p));
  }

  private static final long NOT_SIMPLE = Long.MIN_VALUE;

  /** Up to 18 ASCII digits, optionally after a minus sign, read without a String; else NOT_SIMPLE. */
  private static long decimal(char[] chars, int offset, int length) {
    int i = offset;
    int end = offset + length;
    boolean negative = length > 1 && chars[i] == '-';
    if (negative) {
      i++;
    }
    if (end - i < 1 || end - i > 18) {
      return NOT_SIMPLE;
    }
    long v = 0;
    for (; i < end; i++) {
      int d = chars[i] - '0';
      if (d < 0 || d > 9) {
        return NOT_SIMPLE;
      }
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }

  private static long int64Text(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return 0;
    }
    if (t.charAt(0) != '-' && t.length() >= 19) {
      return Long.parseUnsignedLong(t);
    }
    try {
      return Long.parseLong(t);
    } catch (NumberFormatException e) {
      return new BigDecimal(t).toBigIntegerExact().longValue();
    }
  }

  static double float64(JsonParser p, String name) throws IOException, BadField {
    switch (p.currentToken()) {
      case VALUE_NULL:
        return 0;
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_STRING:
        String t = p.getText().trim();
        switch (t) {
          case "NaN":
            return Double.NaN;
          case "Infinity":
            return Double.POSITIVE_INFINITY;
          case "-Infinity":
            return Double.NEGATIVE_INFINITY;
          default:
            try {
              return Double.parseDouble(t);
            } catch (NumberFormatException e) {
              break;
            }
        }
        break;
      default:
        break;
    }
    throw new BadField(name + ": expected a number, got " + describe(p));
  }

  /** An enum as its number or its name, with or without the prefix ("SPAN_KIND_SERVER", "SERVER"). */
  static int enumValue(JsonParser p, String name, String[] names, String prefix) throws IOException, BadField {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() == JsonParser.NumberType.INT) {
      return p.getIntValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      String s = p.getText().trim().toUpperCase(Locale.ROOT);
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(s) || names[i].equals(prefix + s)) {
          return i;
        }
      }
      try {
        return Integer.parseInt(s);
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new BadField(name + ": expected one of " + names[0] + "… or its number, got " + describe(p));
  }

  /** An id as OTLP/JSON writes it (hex), or base64 as generic protobuf JSON printers write bytes. */
  static ByteString id(JsonParser p, String name, int length) throws IOException, BadField {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NULL) {
      return ByteString.EMPTY;
    }
    if (t != JsonToken.VALUE_STRING) {
      throw new BadField(name + ": expected a hex string, got " + describe(p));
    }
    int n = p.getTextLength();
    if (n == 0) {
      return ByteString.EMPTY;
    }
    byte[] hex = hex(p.getTextCharacters(), p.getTextOffset(), n);
    if (hex != null) {
      return UnsafeByteOperations.unsafeWrap(hex);
    }
    try {
      byte[] b64 = Base64.getDecoder().decode(p.getText());
      if (b64.length == length) {
        return UnsafeByteOperations.unsafeWrap(b64);
      }
    } catch (IllegalArgumentException e) {
      // not base64 either
    }
    throw new BadField(name + ": expected " + (2 * length) + " hex characters, got " + describe(p));
  }

  private static byte[] hex(char[] chars, int offset, int length) {
    if ((length & 1) != 0) {
      return null;
    }
    byte[] out = new byte[length / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = digit(chars[offset + 2 * i]);
      int lo = digit(chars[offset + 2 * i + 1]);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  /** A hex digit's value; beyond ASCII as {@link Character#digit} reads it, as the tree reader did. */
  private static int digit(char c) {
    return c < 128 ? HEX_DIGIT[c] : Character.digit(c, 16);
  }

  static byte[] base64(JsonParser p, String where) throws IOException, BadField {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      String t = p.getText();
      try {
        return Base64.getDecoder().decode(t);
      } catch (IllegalArgumentException e) {
        try {
          return Base64.getUrlDecoder().decode(t);
        } catch (IllegalArgumentException e2) {
          // fall through
        }
      }
    }
    throw new BadField(where + ": expected base64, got " + describe(p));
  }

  /** The text the tree reader quoted for a record's name in a rejection: a scalar's text, else empty. */
  static String nameText(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    return t.isScalarValue() && t != JsonToken.VALUE_NULL ? text(p) : "";
  }

  /** A short rendering of the current value for an error message, as the tree reader wrote it. */
  static String describe(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_ARRAY) {
      return "an array";
    }
    if (t == JsonToken.START_OBJECT) {
      return "an object";
    }
    String s = scalarNode(p).toString();
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }

  /** The tree node Jackson builds for the current scalar; strings are cut first, their rendering is cut anyway. */
  private static JsonNode scalarNode(JsonParser p) throws IOException {
    JsonNodeFactory nodes = JsonNodeFactory.instance;
    return switch (p.currentToken()) {
      case VALUE_STRING -> {
        String text = p.getText();
        yield nodes.textNode(text.length() > 40 ? text.substring(0, 40) : text);
      }
      case VALUE_NUMBER_INT -> switch (p.getNumberType()) {
        case INT -> nodes.numberNode(p.getIntValue());
        case LONG -> nodes.numberNode(p.getLongValue());
        default -> nodes.numberNode(p.getBigIntegerValue());
      };
      case VALUE_NUMBER_FLOAT -> nodes.numberNode(p.getDoubleValue());
      case VALUE_TRUE -> nodes.booleanNode(true);
      case VALUE_FALSE -> nodes.booleanNode(false);
      default -> nodes.nullNode();
    };
  }
}
