package dev.sightline.scrape;

import dev.sightline.model.MetricPoint;
import java.util.List;

/**
 * What one scrape of a target gave: its points, whether the target counts as up, and why not (or what
 * was wrong with part of the page). {@code deferred}: nothing was tried this tick (a missing command
 * waiting for its retry), so nothing is recorded or sent.
 */
record ScrapeResult(List<MetricPoint> points, boolean up, String error, List<String> pageErrors, boolean deferred) {
  ScrapeResult {
    points = List.copyOf(points);
    pageErrors = List.copyOf(pageErrors);
  }

  static ScrapeResult ok(List<MetricPoint> points) {
    return new ScrapeResult(points, true, null, List.of(), false);
  }

  static ScrapeResult failed(String error) {
    return new ScrapeResult(List.of(), false, error, List.of(), false);
  }

  static ScrapeResult notTried() {
    return new ScrapeResult(List.of(), false, null, List.of(), true);
  }
}
