package dev.sightline.model;

import java.util.Locale;

/** OTLP metric data point kinds. */
public enum MetricType {
  GAUGE, SUM, HISTOGRAM, EXPONENTIAL_HISTOGRAM, SUMMARY;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
