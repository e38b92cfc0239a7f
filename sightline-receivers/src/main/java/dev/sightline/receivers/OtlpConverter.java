package dev.sightline.receivers;

import com.google.protobuf.ByteString;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Converts decoded OTLP export requests (from protobuf or JSON alike) into canonical records,
 * rejecting the records that cannot be used and reporting why.
 */
final class OtlpConverter {
  static final String DEFAULT_SERVICE = "unknown_service";
  private static final HexFormat HEX = HexFormat.of();

  private final AttributeDecoder attributes;

  OtlpConverter(ReceiverLimits limits) {
    this.attributes = new AttributeDecoder(limits);
  }

  // ---------------------------------------------------------------- traces

  List<Span> spans(ExportTraceServiceRequest request, DecodeReport report) {
    List<Span> out = new ArrayList<>();
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, Object> resource = resource(rs.getResource(), report);
      String service = serviceOf(resource);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        String scope = scopeName(ss.getScope());
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          String problem = spanProblem(s);
          if (problem != null) {
            report.reject("span " + DecodeReport.quote(s.getName()) + ": " + problem);
            continue;
          }
          out.add(Span.received(
              hex(s.getTraceId()),
              hex(s.getSpanId()),
              optionalHex(s.getParentSpanId()),
              attributes.limit(s.getName(), report),
              SpanKind.fromOtlp(s.getKindValue()),
              s.getStartTimeUnixNano(),
              s.getEndTimeUnixNano(),
              SpanStatus.fromOtlp(s.getStatus().getCodeValue()),
              emptyToNull(attributes.limit(s.getStatus().getMessage(), report)),
              service,
              scope,
              attributes.attributes(s.getAttributesList(), report),
              resource,
              events(s.getEventsList(), report)));
        }
      }
    }
    return out;
  }

  private List<SpanEvent> events(List<io.opentelemetry.proto.trace.v1.Span.Event> events, DecodeReport report) {
    if (events.isEmpty()) {
      return List.of();
    }
    List<SpanEvent> out = new ArrayList<>(events.size());
    for (io.opentelemetry.proto.trace.v1.Span.Event e : events) {
      out.add(new SpanEvent(attributes.limit(e.getName(), report), e.getTimeUnixNano(),
          attributes.attributes(e.getAttributesList(), report)));
    }
    return out;
  }

  private static String spanProblem(io.opentelemetry.proto.trace.v1.Span s) {
    String p = idProblem("trace_id", s.getTraceId(), 16, false);
    if (p == null) {
      p = idProblem("span_id", s.getSpanId(), 8, false);
    }
    if (p == null) {
      p = idProblem("parent_span_id", s.getParentSpanId(), 8, true);
    }
    if (p == null && Long.compareUnsigned(s.getEndTimeUnixNano(), s.getStartTimeUnixNano()) < 0) {
      p = "end_time_unix_nano (" + Long.toUnsignedString(s.getEndTimeUnixNano())
          + ") is before start_time_unix_nano (" + Long.toUnsignedString(s.getStartTimeUnixNano()) + ")";
    }
    return p;
  }

  // ---------------------------------------------------------------- logs

  List<LogRecord> logs(ExportLogsServiceRequest request, DecodeReport report) {
    List<LogRecord> out = new ArrayList<>();
    for (ResourceLogs rl : request.getResourceLogsList()) {
      Map<String, Object> resource = resource(rl.getResource(), report);
      String service = serviceOf(resource);
      for (ScopeLogs sl : rl.getScopeLogsList()) {
        String scope = scopeName(sl.getScope());
        for (io.opentelemetry.proto.logs.v1.LogRecord r : sl.getLogRecordsList()) {
          String problem = idProblem("trace_id", r.getTraceId(), 16, true);
          if (problem == null) {
            problem = idProblem("span_id", r.getSpanId(), 8, true);
          }
          if (problem != null) {
            String what = r.getEventName().isEmpty() ? "log record" : "log event " + DecodeReport.quote(r.getEventName());
            report.reject(what + ": " + problem);
            continue;
          }
          out.add(new LogRecord(
              r.getTimeUnixNano(),
              r.getObservedTimeUnixNano(),
              optionalHex(r.getTraceId()),
              optionalHex(r.getSpanId()),
              r.getSeverityNumberValue(),
              emptyToNull(attributes.limit(r.getSeverityText(), report)),
              emptyToNull(attributes.limit(r.getEventName(), report)),
              r.hasBody() ? attributes.value(r.getBody(), report) : null,
              service,
              scope,
              attributes.attributes(r.getAttributesList(), report),
              resource));
        }
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- metrics

  List<MetricPoint> metrics(ExportMetricsServiceRequest request, DecodeReport report) {
    List<MetricPoint> out = new ArrayList<>();
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      String service = serviceOf(resource(rm.getResource(), report));
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        for (Metric m : sm.getMetricsList()) {
          metric(m, service, out, report);
        }
      }
    }
    return out;
  }

  private void metric(Metric m, String service, List<MetricPoint> out, DecodeReport report) {
    int points = switch (m.getDataCase()) {
      case GAUGE -> m.getGauge().getDataPointsCount();
      case SUM -> m.getSum().getDataPointsCount();
      case HISTOGRAM -> m.getHistogram().getDataPointsCount();
      case EXPONENTIAL_HISTOGRAM -> m.getExponentialHistogram().getDataPointsCount();
      case SUMMARY -> m.getSummary().getDataPointsCount();
      case DATA_NOT_SET -> 0;
    };
    if (m.getName().isEmpty()) {
      for (int i = 0; i < points; i++) {
        report.reject("metric without a name");
      }
      return;
    }
    String name = attributes.limit(m.getName(), report);
    String description = emptyToNull(attributes.limit(m.getDescription(), report));
    String unit = emptyToNull(m.getUnit());
    switch (m.getDataCase()) {
      case GAUGE -> {
        for (NumberDataPoint p : m.getGauge().getDataPointsList()) {
          number(name, description, unit, MetricType.GAUGE, false, false, p, service, out, report);
        }
      }
      case SUM -> {
        boolean monotonic = m.getSum().getIsMonotonic();
        boolean delta = m.getSum().getAggregationTemporality() == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        for (NumberDataPoint p : m.getSum().getDataPointsList()) {
          number(name, description, unit, MetricType.SUM, monotonic, delta, p, service, out, report);
        }
      }
      case HISTOGRAM -> {
        boolean delta = m.getHistogram().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
          int bounds = p.getExplicitBoundsCount();
          int buckets = p.getBucketCountsCount();
          if (buckets != 0 && buckets != bounds + 1) {
            report.reject("histogram " + DecodeReport.quote(name) + ": " + buckets + " bucket counts for "
                + bounds + " explicit bounds (expected " + (bounds + 1) + ")");
            continue;
          }
          List<Double> boundList = new ArrayList<>(bounds);
          for (int i = 0; i < bounds; i++) {
            boundList.add(p.getExplicitBounds(i));
          }
          List<Long> countList = new ArrayList<>(buckets);
          for (int i = 0; i < buckets; i++) {
            countList.add(p.getBucketCounts(i));
          }
          out.add(new MetricPoint(name, description, unit, MetricType.HISTOGRAM, p.getTimeUnixNano(),
              p.getStartTimeUnixNano(), service, attributes.attributes(p.getAttributesList(), report), null,
              p.getCount(), p.hasSum() ? p.getSum() : null, boundList, countList, true, delta));
        }
      }
      case EXPONENTIAL_HISTOGRAM -> {
        boolean delta = m.getExponentialHistogram().getAggregationTemporality()
            == AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA;
        for (ExponentialHistogramDataPoint p : m.getExponentialHistogram().getDataPointsList()) {
          out.add(new MetricPoint(name, description, unit, MetricType.EXPONENTIAL_HISTOGRAM,
              p.getTimeUnixNano(), p.getStartTimeUnixNano(), service,
              attributes.attributes(p.getAttributesList(), report), null, p.getCount(),
              p.hasSum() ? p.getSum() : null, null, null, true, delta));
        }
      }
      case SUMMARY -> {
        for (SummaryDataPoint p : m.getSummary().getDataPointsList()) {
          out.add(new MetricPoint(name, description, unit, MetricType.SUMMARY, p.getTimeUnixNano(),
              p.getStartTimeUnixNano(), service, attributes.attributes(p.getAttributesList(), report), null,
              p.getCount(), p.getSum(), null, null, false));
        }
      }
      case DATA_NOT_SET -> { }
    }
  }

  private void number(String name, String description, String unit, MetricType type, boolean monotonic,
      boolean delta, NumberDataPoint p, String service, List<MetricPoint> out, DecodeReport report) {
    Double value = switch (p.getValueCase()) {
      case AS_DOUBLE -> p.getAsDouble();
      case AS_INT -> (double) p.getAsInt();
      case VALUE_NOT_SET -> null;
    };
    if (value == null) {
      report.reject(type.wire() + " " + DecodeReport.quote(name) + ": data point has neither as_double nor as_int");
      return;
    }
    out.add(new MetricPoint(name, description, unit, type, p.getTimeUnixNano(), p.getStartTimeUnixNano(),
        service, attributes.attributes(p.getAttributesList(), report), value, null, null, null, null,
        monotonic, delta));
  }

  // ---------------------------------------------------------------- shared

  private Map<String, Object> resource(Resource resource, DecodeReport report) {
    Map<String, Object> attrs = attributes.attributes(resource.getAttributesList(), report);
    return attrs.isEmpty() ? attrs : Collections.unmodifiableMap(attrs);
  }

  static String serviceOf(Map<String, Object> resource) {
    Object name = resource.get("service.name");
    return name instanceof String s && !s.isEmpty() ? s : DEFAULT_SERVICE;
  }

  private static String scopeName(InstrumentationScope scope) {
    return emptyToNull(scope.getName());
  }

  /** Why an id cannot be used, or null when it can. */
  private static String idProblem(String field, ByteString id, int length, boolean optional) {
    int size = id.size();
    if (size == 0 && optional) {
      return null;
    }
    if (size != length) {
      return field + " must be " + length + " bytes (" + (2 * length) + " hex characters), got " + size
          + " bytes";
    }
    for (int i = 0; i < size; i++) {
      if (id.byteAt(i) != 0) {
        return null;
      }
    }
    return optional ? null : field + " is all zeros (an invalid id)";
  }

  /** Hex of an optional id; null when it is absent or all zeros. */
  private static String optionalHex(ByteString id) {
    for (int i = 0, n = id.size(); i < n; i++) {
      if (id.byteAt(i) != 0) {
        return hex(id);
      }
    }
    return null;
  }

  static String hex(ByteString id) {
    // HexFormat builds the Latin-1 string in place, without the char[] and its compression pass
    return HEX.formatHex(id.toByteArray());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
