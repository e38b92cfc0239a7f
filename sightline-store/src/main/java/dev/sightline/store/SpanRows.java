package dev.sightline.store;

import static dev.sightline.store.CallRows.bool;
import static dev.sightline.store.CallRows.dbl;
import static dev.sightline.store.CallRows.lng;
import static dev.sightline.store.CallRows.str;

import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;

/** Rows of the {@code spans}, {@code logs} and {@code metric_points} tables. */
public final class SpanRows {
  private SpanRows() {}

  public static final String SPAN_COLUMNS = "trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns, status,"
      + " status_message, service, scope_name, attributes, resource_attributes, events, category,"
      + " unmapped_attributes";
  /** The same columns with the bulky ones (attributes, events, unmapped keys) left empty. */
  public static final String SPAN_COLUMNS_WITHOUT_DETAILS = "trace_id, span_id, parent_span_id, name, kind, start_ns, end_ns,"
      + " status, status_message, service, scope_name, NULL AS attributes, NULL AS resource_attributes, NULL AS events,"
      + " category, NULL AS unmapped_attributes";

  /** The JSON columns of one span, encoded ahead of the write when the caller prepared the batch. */
  public record SpanJson(String attributes, String resourceAttributes, String events, String unmapped) {}

  /** The JSON columns of every span of a batch; spans that share a resource map share its encoding. */
  public static SpanJson[] encode(List<Span> spans) {
    SpanJson[] out = new SpanJson[spans.size()];
    Map<String, Object> lastResource = null;
    String lastResourceJson = null;
    for (int i = 0; i < out.length; i++) {
      Span s = spans.get(i);
      if (s.resourceAttributes() != lastResource) {
        lastResource = s.resourceAttributes();
        lastResourceJson = ValueJson.write(lastResource);
      }
      out[i] = new SpanJson(ValueJson.write(s.attributes()), lastResourceJson,
          s.events().isEmpty() ? "[]" : ValueJson.write(eventsToJsonValue(s.events())),
          ValueJson.writeStrings(s.unmappedAttributes()));
    }
    return out;
  }

  static void appendSpan(DuckDBAppender a, long seq, Span s, SpanJson json) throws SQLException {
    appendSpan(new DuckDbRowSink(a), seq, s, json);
  }

  public static void appendSpan(RowSink a, long seq, Span s, SpanJson json) throws SQLException {
    a.beginRow();
    a.int8(seq);
    str(a, s.traceId());
    str(a, s.spanId());
    str(a, s.parentSpanId());
    str(a, s.name());
    str(a, s.kind() == null ? null : s.kind().name());
    a.int8(s.startEpochNanos());
    a.int8(s.endEpochNanos());
    str(a, s.status() == null ? null : s.status().name());
    str(a, s.statusMessage());
    str(a, s.service());
    str(a, s.scopeName());
    a.text(json.attributes());
    a.text(json.resourceAttributes());
    a.text(json.events());
    str(a, s.category() == null ? null : s.category().wire());
    a.text(json.unmapped());
    a.bool(s.llm() != null);
    a.endRow();
  }

  /** The span at the current row (without its LLM call, which the caller attaches). */
  public static Span readSpan(ResultSet rs) throws SQLException {
    String kind = rs.getString("kind");
    String status = rs.getString("status");
    String category = rs.getString("category");
    return new Span(rs.getString("trace_id"), rs.getString("span_id"), rs.getString("parent_span_id"),
        rs.getString("name"), kind == null ? null : SpanKind.valueOf(kind), rs.getLong("start_ns"),
        rs.getLong("end_ns"), status == null ? null : SpanStatus.valueOf(status), rs.getString("status_message"),
        rs.getString("service"), rs.getString("scope_name"), ValueJson.readMap(rs.getString("attributes")),
        ValueJson.readMap(rs.getString("resource_attributes")), eventsFromJson(rs.getString("events")),
        category == null ? null : SpanCategory.fromWire(category), null,
        ValueJson.readStrings(rs.getString("unmapped_attributes")));
  }

  static void appendLog(DuckDBAppender a, long seq, LogRecord r) throws SQLException {
    appendLog(new DuckDbRowSink(a), seq, r);
  }

  public static void appendLog(RowSink a, long seq, LogRecord r) throws SQLException {
    a.beginRow();
    a.int8(seq);
    a.int8(r.timeEpochNanos());
    a.int8(r.observedEpochNanos());
    str(a, r.traceId());
    str(a, r.spanId());
    a.int4(r.severityNumber());
    str(a, r.severityText());
    str(a, r.eventName());
    str(a, ValueJson.write(r.body()));
    str(a, r.service());
    str(a, r.scopeName());
    a.text(ValueJson.write(r.attributes()));
    a.text(ValueJson.write(r.resourceAttributes()));
    a.endRow();
  }

  /**
   * Appends one metric point; {@code withDelta} false writes the table as it was before schema
   * version 6 (no {@code delta} column; migration tests only).
   */
  static void appendMetric(DuckDBAppender a, long seq, MetricPoint m, boolean withDelta) throws SQLException {
    appendMetric(new DuckDbRowSink(a), seq, m, withDelta);
  }

  public static void appendMetric(RowSink a, long seq, MetricPoint m, boolean withDelta) throws SQLException {
    if (m.name() == null) {
      throw new IllegalArgumentException("a metric point has no name");
    }
    a.beginRow();
    a.int8(seq);
    str(a, m.name());
    str(a, m.description());
    str(a, m.unit());
    str(a, m.type() == null ? null : m.type().wire());
    a.int8(m.timeEpochNanos());
    a.int8(m.startEpochNanos());
    str(a, m.service());
    a.text(ValueJson.write(m.attributes()));
    dbl(a, m.value());
    lng(a, m.count());
    dbl(a, m.sum());
    a.text(ValueJson.write(m.bucketBounds()));
    a.text(ValueJson.write(m.bucketCounts()));
    bool(a, m.monotonic());
    if (withDelta) {
      a.bool(m.delta());
    }
    a.endRow();
  }

  private static List<Map<String, Object>> eventsToJsonValue(List<SpanEvent> events) {
    List<Map<String, Object>> out = new ArrayList<>(events.size());
    for (SpanEvent e : events) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.name());
      m.put("time", e.timeEpochNanos());
      m.put("attributes", e.attributes());
      if (e.body() != null) {
        m.put("body", e.body());
      }
      out.add(m);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<SpanEvent> eventsFromJson(String json) {
    Object v = ValueJson.read(json);
    if (!(v instanceof List<?> list)) {
      return List.of();
    }
    List<SpanEvent> out = new ArrayList<>(list.size());
    for (Object o : list) {
      Map<String, Object> m = (Map<String, Object>) o;
      Object attrs = m.get("attributes");
      out.add(new SpanEvent((String) m.get("name"), ((Number) m.get("time")).longValue(),
          attrs instanceof Map<?, ?> am ? (Map<String, Object>) am : Map.of(), m.get("body")));
    }
    return List.copyOf(out);
  }
}
