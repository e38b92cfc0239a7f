package dev.sightline.scrape;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One sample line of the text format, read into name, labels, value and optional timestamp. Reading
 * fails with {@link BadLine}, whose message becomes the line's error.
 */
record SampleLine(String name, Map<String, String> labels, double value, Long timeEpochNanos,
    int labelChars) {

  /** A line that could not be read; no stack trace, since it is an expected outcome. */
  static final class BadLine extends RuntimeException {
    BadLine(String message) {
      super(message, null, false, false);
    }
  }

  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d{1,4})?");
  private static final Pattern SECONDS = Pattern.compile("-?\\d{1,12}(\\.\\d{1,18})?");
  private static final Pattern MILLIS = Pattern.compile("-?\\d{1,18}");

  static SampleLine read(String line, boolean openMetrics) {
    int n = line.length();
    int i = 0;
    while (i < n && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      throw new BadLine("a sample must start with a metric name");
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new TreeMap<>();
    int labelChars = 0;
    if (i < n && line.charAt(i) == '{') {
      int start = i;
      i = readLabels(line, i + 1, labels);
      labelChars = i - start;
    }
    String rest = line.substring(i);
    if (openMetrics) {
      // an exemplar follows " # "; it describes one traced observation and is not a series value
      int hash = rest.indexOf(" # ");
      if (hash >= 0) {
        rest = rest.substring(0, hash);
      }
    }
    String[] parts = rest.strip().split("[ \t]+");
    if (rest.isEmpty() || !(rest.charAt(0) == ' ' || rest.charAt(0) == '\t') || parts[0].isEmpty()) {
      throw new BadLine("expected a space and a value after " + (labelChars > 0 ? "the labels" : "the name"));
    }
    if (parts.length > 2) {
      throw new BadLine("unexpected text after the value and timestamp: '" + clip(parts[2]) + "'");
    }
    double value = number(parts[0]);
    Long time = parts.length == 2 ? timestamp(parts[1], openMetrics) : null;
    return new SampleLine(name, labels, value, time, labelChars);
  }

  /** Reads {@code name="value",...}} from just after the brace; returns the index after the closing brace. */
  private static int readLabels(String line, int i, Map<String, String> into) {
    int n = line.length();
    while (true) {
      i = skipSpace(line, i);
      if (i >= n) {
        throw new BadLine("unterminated label set");
      }
      if (line.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (i < n && isLabelChar(line.charAt(i), i == start)) {
        i++;
      }
      if (i == start) {
        throw new BadLine("invalid label name at column " + (i + 1));
      }
      String label = line.substring(start, i);
      i = skipSpace(line, i);
      if (i >= n || line.charAt(i) != '=') {
        throw new BadLine("expected '=' after label " + clip(label));
      }
      i = skipSpace(line, i + 1);
      if (i >= n || line.charAt(i) != '"') {
        throw new BadLine("expected a quoted value for label " + clip(label));
      }
      StringBuilder value = new StringBuilder();
      i++;
      boolean closed = false;
      while (i < n) {
        char c = line.charAt(i++);
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\' && i < n) {
          char e = line.charAt(i++);
          switch (e) {
            case '\\' -> value.append('\\');
            case '"' -> value.append('"');
            case 'n' -> value.append('\n');
            default -> value.append('\\').append(e);
          }
        } else {
          value.append(c);
        }
      }
      if (!closed) {
        throw new BadLine("unterminated label value");
      }
      if (into.put(label, value.toString()) != null) {
        throw new BadLine("label " + clip(label) + " appears twice");
      }
      i = skipSpace(line, i);
      if (i < n && line.charAt(i) == ',') {
        i++;
      } else if (i >= n || line.charAt(i) != '}') {
        throw new BadLine("expected ',' or '}' after the value of label " + clip(label));
      }
    }
  }

  /** A sample value: a decimal number, NaN or an infinity (the spellings Go's ParseFloat accepts). */
  static double number(String s) {
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "nan" -> {
        return Double.NaN;
      }
      case "inf", "+inf", "infinity", "+infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-inf", "-infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      default -> { }
    }
    if (s.length() > 64 || !DECIMAL.matcher(s).matches()) {
      throw new BadLine("not a number: '" + clip(s) + "'");
    }
    return Double.parseDouble(s);
  }

  /** 0.0.4 timestamps are integer milliseconds; OpenMetrics timestamps are seconds with a fraction. */
  private static long timestamp(String s, boolean openMetrics) {
    try {
      if (!openMetrics) {
        if (!MILLIS.matcher(s).matches()) {
          throw new BadLine("timestamp must be whole milliseconds: '" + clip(s) + "'");
        }
        return Math.multiplyExact(Long.parseLong(s), 1_000_000L);
      }
      if (SECONDS.matcher(s).matches()) {
        return new BigDecimal(s).movePointRight(9).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
      }
      double seconds = number(s);
      if (!Double.isFinite(seconds) || Math.abs(seconds) > 9.2e9) {
        throw new BadLine("timestamp out of range: '" + clip(s) + "'");
      }
      return Math.round(seconds * 1e9);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new BadLine("timestamp out of range: '" + clip(s) + "'");
    }
  }

  static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'
        || (!first && c >= '0' && c <= '9');
  }

  private static boolean isLabelChar(char c, boolean first) {
    return c != ':' && isNameChar(c, first);
  }

  private static int skipSpace(String line, int i) {
    while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  /** Keeps error messages short whatever the input holds. */
  static String clip(String s) {
    String printable = s.codePoints().limit(60)
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    return s.length() > 60 ? printable + "…" : printable;
  }
}
