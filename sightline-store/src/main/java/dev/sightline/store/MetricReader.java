package dev.sightline.store;

import java.time.Instant;
import java.util.List;

/** Reads metric points: series over time, latest samples, names. (Being built.) */
final class MetricReader {
  private final DuckDbStore store;

  MetricReader(DuckDbStore store) {
    this.store = store;
  }

  List<MetricSeries> series(MetricQuery query) {
    throw new UnsupportedOperationException("metric series are not built yet");
  }

  List<MetricSample> latest(MetricQuery query, int limit) {
    throw new UnsupportedOperationException("metric samples are not built yet");
  }

  List<MetricName> names(String prefix, String service, Instant since, Instant until, int limit) {
    throw new UnsupportedOperationException("metric names are not built yet");
  }
}
