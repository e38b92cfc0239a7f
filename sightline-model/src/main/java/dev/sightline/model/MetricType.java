package dev.sightline.model;

import java.util.Locale;

/** OTLP metric data point kinds. */
public enum MetricType {
  GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY;

  // Computed once: wire() runs for every stored row.
  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }
}
