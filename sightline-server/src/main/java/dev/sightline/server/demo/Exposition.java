package dev.sightline.server.demo;

import java.util.Locale;

/**
 * Writes a Prometheus text exposition (format 0.0.4) the way the demo's simulated exporters need:
 * HELP and TYPE headers, label values escaped, numbers printed as the exporter being imitated prints them.
 */
final class Exposition {
  private final StringBuilder out = new StringBuilder(16_384);

  /** Starts a family: its {@code # HELP} and {@code # TYPE} lines. */
  Exposition family(String name, String type, String help) {
    out.append("# HELP ").append(name);
    if (!help.isEmpty()) {
      out.append(' ').append(help.replace("\\", "\\\\").replace("\n", "\\n"));
    }
    out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
    return this;
  }

  /** A sample whose value is printed as Python's Prometheus client prints floats (vLLM: {@code 12.0}). */
  Exposition sample(String name, String labels, double value) {
    return raw(name, labels, pythonFloat(value));
  }

  /** A sample whose value is already formatted (DCGM prints integers bare and watts with six decimals). */
  Exposition raw(String name, String labels, String value) {
    out.append(name).append(labels).append(' ').append(value).append('\n');
    return this;
  }

  String text() {
    return out.toString();
  }

  /** {@code {k1="v1",k2="v2"}} with values escaped as the text format requires; {@code ""} for no pairs. */
  static String labels(String... pairs) {
    if (pairs.length == 0) {
      return "";
    }
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i + 1 < pairs.length; i += 2) {
      if (i > 0) {
        b.append(',');
      }
      b.append(pairs[i]).append("=\"").append(escape(pairs[i + 1])).append('"');
    }
    return b.append('}').toString();
  }

  /** Adds one pair inside an existing label string (for {@code le} on histogram buckets). */
  static String withLabel(String labels, String key, String value) {
    String pair = key + "=\"" + escape(value) + "\"";
    return labels.isEmpty() ? "{" + pair + "}" : labels.substring(0, labels.length() - 1) + "," + pair + "}";
  }

  static String escape(String v) {
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** Integral values as {@code 12.0}, the rest in shortest round-trip form; infinities as the format spells them. */
  static String pythonFloat(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "+Inf" : "-Inf";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e16) {
      return (long) v + ".0";
    }
    return Double.toString(v).replace("E", "e");
  }

  /** DCGM's {@code %f}-style value with six decimals. */
  static String sixDecimals(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
