package dev.sightline.server.api;

/** Label values in Prometheus' text format: backslash, double quote and new line escaped. */
public final class PrometheusLabels {
  private PrometheusLabels() {}

  public static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
