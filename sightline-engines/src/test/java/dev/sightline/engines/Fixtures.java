package dev.sightline.engines;

import dev.sightline.model.testing.SharedFixtures;

import dev.sightline.model.MetricPoint;
import dev.sightline.scrape.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The real engine pages and name lists of shared/fixtures/local-llm. */
final class Fixtures {
  private Fixtures() {}

  static Path dir() {
    return SharedFixtures.file("local-llm");
  }

  static String text(String file) {
    try {
      return Files.readString(dir().resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The page read as a scrape of {@code service} at {@code timeNanos} would read it; fails on any page error. */
  static List<MetricPoint> page(String file, long timeNanos, String service) {
    PrometheusText.Parsed p = PrometheusText.parse(text(file), timeNanos, service);
    if (!p.errors().isEmpty()) {
      throw new AssertionError(file + ": " + p.errors());
    }
    return p.points();
  }

  static List<String> lines(String file) {
    return text(file).lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
  }
}
