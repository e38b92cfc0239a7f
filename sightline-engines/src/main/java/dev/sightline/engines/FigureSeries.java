package dev.sightline.engines;

import dev.sightline.store.MetricValue;
import java.util.List;

/** One figure of one engine or GPU over time: {@code figure} as the API names it, its unit, bucket values. */
public record FigureSeries(String id, String figure, String unit, List<MetricValue> points) {
  public FigureSeries {
    points = List.copyOf(points);
  }
}
