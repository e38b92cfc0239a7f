package dev.sightline.engines;

import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSample;
import dev.sightline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Whether a scrape target is up and fresh, from the {@code up} gauge the scraper writes at every
 * scrape: the newest sample's value and time, and the scrape interval read off the spacing of the two
 * newest samples. Stale means no sample for more than two intervals (the scraper marks a failed scrape
 * down at once, so a target that vanished entirely, or whose scraper stopped, shows here); with fewer
 * than two samples the interval is unknown and {@link #UNKNOWN_INTERVAL_LIMIT} is the limit instead.
 */
record Freshness(Double up, Instant lastSeen, Duration interval) {
  static final Duration UNKNOWN_INTERVAL_LIMIT = Duration.ofMinutes(2);
  static final Freshness NONE = new Freshness(null, null, null);

  static Freshness of(Store store, String service, Instant since, Instant until) {
    MetricSample last = newest(store, service, since, until);
    if (last == null) {
      return NONE;
    }
    MetricSample before = newest(store, service, since, last.time());
    Duration interval = before == null ? null : Duration.between(before.time(), last.time());
    return new Freshness(last.value(), last.time(), interval == null || interval.isZero() ? null : interval);
  }

  private static MetricSample newest(Store store, String service, Instant since, Instant until) {
    List<MetricSample> s = store.latestSamples(
        new MetricQuery(List.of("up"), service, Map.of(), List.of(), since, until, null, null), 1);
    return s.isEmpty() ? null : s.get(0);
  }

  /** Stale when {@code seen} is older than two intervals before {@code now} (or the fixed limit). */
  boolean stale(Instant seen, Instant now) {
    if (seen == null) {
      return true;
    }
    Duration limit = interval == null ? UNKNOWN_INTERVAL_LIMIT : interval.multipliedBy(2);
    return Duration.between(seen, now).compareTo(limit) > 0;
  }

  /** Up when the last scrape succeeded and is fresh; null when the target writes no {@code up}. */
  Boolean upAt(Instant now) {
    if (up == null) {
      return null;
    }
    return up == 1.0 && !stale(lastSeen, now);
  }
}
