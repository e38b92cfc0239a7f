package dev.sightline.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.model.Score;
import dev.sightline.store.QualityPoint;
import dev.sightline.store.QualityRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API's JSON for scores and quality figures (docs/api.md, "Quality"). */
final class QualityJson {
  private QualityJson() {}

  static Map<String, Object> score(Score s, boolean withDetails) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", s.name());
    m.put("value", s.value());
    m.put("label", s.label());
    m.put("flagged", s.flagged());
    m.put("explanation", s.explanation());
    m.put("source", s.source());
    m.put("evaluator", s.evaluator());
    m.put("evaluatorVersion", s.evaluatorVersion());
    m.put("time", ApiJson.time(s.timeEpochNanos()));
    if (withDetails) {
      m.put("details", details(s.detailsJson()));
    }
    return m;
  }

  static List<Object> scores(List<Score> scores, boolean withDetails) {
    List<Object> out = new ArrayList<>(scores.size());
    for (Score s : scores) {
      out.add(score(s, withDetails));
    }
    return out;
  }

  /** The stored details as JSON (they were validated on write); null when absent or unreadable. */
  private static JsonNode details(String json) {
    if (json == null) {
      return null;
    }
    try {
      return ApiJson.MAPPER.readTree(json);
    } catch (Exception e) {
      return null;
    }
  }

  static Map<String, Object> figures(QualityRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("evaluated", r.evaluated());
    m.put("notEvaluated", r.notEvaluated());
    m.put("flagged", r.flagged());
    m.put("flaggedRate", r.flaggedRate());
    m.put("meanValue", r.meanValue());
    return m;
  }

  static Map<String, Object> row(QualityRow r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key", r.key());
    m.put("name", r.name());
    m.putAll(figures(r));
    return m;
  }

  /** Per group key, per score name: what the summary shows beside each group. */
  static Map<String, Map<String, Object>> byKey(List<QualityRow> rows) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (QualityRow r : rows) {
      out.computeIfAbsent(r.key(), k -> new LinkedHashMap<>()).put(r.name(), figures(r));
    }
    return out;
  }

  static Map<String, Object> series(long stepNanos, Instant since, Instant until, List<QualityPoint> points) {
    Map<String, List<Object>> byName = new LinkedHashMap<>();
    for (QualityPoint p : points) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", p.time().toString());
      m.put("evaluated", p.evaluated());
      m.put("flagged", p.flagged());
      m.put("flaggedRate", p.flaggedRate());
      m.put("meanValue", p.meanValue());
      byName.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(m);
    }
    List<Object> series = new ArrayList<>();
    byName.forEach((name, pts) -> {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", name);
      s.put("points", pts);
      series.add(s);
    });
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("intervalMs", stepNanos / 1_000_000.0);
    m.put("since", since.toString());
    m.put("until", until.toString());
    m.put("series", series);
    return m;
  }
}
