package dev.sightline.receivers;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OTLP/JSON reader as it was before the streaming one (Jackson's tree first, then messages),
 * kept unchanged as the reference the streaming reader is checked against.
 */
final class TreeJsonReference {
  private static final Map<String, String> SNAKE = new ConcurrentHashMap<>();
  private static final String[] SPAN_KINDS = OtlpJsonReader.SPAN_KINDS;
  private static final String[] STATUS_CODES = OtlpJsonReader.STATUS_CODES;
  private static final String[] TEMPORALITIES = {"AGGREGATION_TEMPORALITY_UNSPECIFIED",
      "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE"};
  private static final String[] SEVERITIES = OtlpJsonReader.SEVERITIES;

  /** A field that cannot be read; the message names the field and what was wrong with it. */
  static final class BadField extends Exception {
    BadField(String message) {
      super(message, null, false, false);
    }
  }

  private TreeJsonReference() {}

  // ---------------------------------------------------------------- envelopes

  static ExportTraceServiceRequest traces(JsonNode root, DecodeReport report) throws BadField {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    for (JsonNode rs : array(root, "resourceSpans", "resourceSpans")) {
      ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(resource(rs));
      for (JsonNode ss : array(rs, "scopeSpans", "resourceSpans[].scopeSpans", "instrumentationLibrarySpans")) {
        ScopeSpans.Builder sb = ScopeSpans.newBuilder().setScope(scope(ss));
        for (JsonNode s : array(ss, "spans", "scopeSpans[].spans")) {
          try {
            sb.addSpans(span(s));
          } catch (BadField e) {
            report.reject("span " + DecodeReport.quote(s.path("name").asText("")) + ": " + e.getMessage());
          }
        }
        b.addScopeSpans(sb);
      }
      req.addResourceSpans(b);
    }
    return req.build();
  }

  static ExportLogsServiceRequest logs(JsonNode root, DecodeReport report) throws BadField {
    ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
    for (JsonNode rl : array(root, "resourceLogs", "resourceLogs")) {
      ResourceLogs.Builder b = ResourceLogs.newBuilder().setResource(resource(rl));
      for (JsonNode sl : array(rl, "scopeLogs", "resourceLogs[].scopeLogs", "instrumentationLibraryLogs")) {
        ScopeLogs.Builder sb = ScopeLogs.newBuilder().setScope(scope(sl));
        for (JsonNode r : array(sl, "logRecords", "scopeLogs[].logRecords")) {
          try {
            sb.addLogRecords(logRecord(r));
          } catch (BadField e) {
            report.reject("log record: " + e.getMessage());
          }
        }
        b.addScopeLogs(sb);
      }
      req.addResourceLogs(b);
    }
    return req.build();
  }

  static ExportMetricsServiceRequest metrics(JsonNode root, DecodeReport report) throws BadField {
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    for (JsonNode rm : array(root, "resourceMetrics", "resourceMetrics")) {
      ResourceMetrics.Builder b = ResourceMetrics.newBuilder().setResource(resource(rm));
      for (JsonNode sm : array(rm, "scopeMetrics", "resourceMetrics[].scopeMetrics",
          "instrumentationLibraryMetrics")) {
        ScopeMetrics.Builder sb = ScopeMetrics.newBuilder().setScope(scope(sm));
        for (JsonNode m : array(sm, "metrics", "scopeMetrics[].metrics")) {
          sb.addMetrics(metric(m, report));
        }
        b.addScopeMetrics(sb);
      }
      req.addResourceMetrics(b);
    }
    return req.build();
  }

  private static Resource resource(JsonNode holder) throws BadField {
    JsonNode r = field(holder, "resource");
    Resource.Builder b = Resource.newBuilder();
    if (r != null) {
      addAttributes(r, b::addAttributes, "resource.attributes");
    }
    return b.build();
  }

  private static InstrumentationScope scope(JsonNode holder) throws BadField {
    JsonNode s = field(holder, "scope");
    if (s == null) {
      s = field(holder, "instrumentationLibrary");
    }
    InstrumentationScope.Builder b = InstrumentationScope.newBuilder();
    if (s != null) {
      b.setName(string(s, "name")).setVersion(string(s, "version"));
      addAttributes(s, b::addAttributes, "scope.attributes");
    }
    return b.build();
  }

  // ---------------------------------------------------------------- records

  private static Span span(JsonNode s) throws BadField {
    requireObject(s, "span");
    Span.Builder b = Span.newBuilder()
        .setTraceId(id(s, "traceId", 16))
        .setSpanId(id(s, "spanId", 8))
        .setParentSpanId(id(s, "parentSpanId", 8))
        .setName(string(s, "name"))
        .setKindValue(enumValue(s, "kind", SPAN_KINDS, "SPAN_KIND_"))
        .setStartTimeUnixNano(int64(s, "startTimeUnixNano"))
        .setEndTimeUnixNano(int64(s, "endTimeUnixNano"))
        .setTraceState(string(s, "traceState"))
        .setFlags((int) int64(s, "flags"))
        .setDroppedAttributesCount((int) int64(s, "droppedAttributesCount"));
    addAttributes(s, b::addAttributes, "attributes");
    for (JsonNode e : array(s, "events", "events")) {
      Span.Event.Builder eb = Span.Event.newBuilder()
          .setName(string(e, "name"))
          .setTimeUnixNano(int64(e, "timeUnixNano"));
      addAttributes(e, eb::addAttributes, "events[].attributes");
      b.addEvents(eb);
    }
    JsonNode status = field(s, "status");
    if (status != null) {
      b.setStatus(Status.newBuilder()
          .setCodeValue(enumValue(status, "code", STATUS_CODES, "STATUS_CODE_"))
          .setMessage(string(status, "message")));
    }
    return b.build();
  }

  private static LogRecord logRecord(JsonNode r) throws BadField {
    requireObject(r, "log record");
    LogRecord.Builder b = LogRecord.newBuilder()
        .setTimeUnixNano(int64(r, "timeUnixNano"))
        .setObservedTimeUnixNano(int64(r, "observedTimeUnixNano"))
        .setSeverityNumberValue(enumValue(r, "severityNumber", SEVERITIES, "SEVERITY_NUMBER_"))
        .setSeverityText(string(r, "severityText"))
        .setEventName(string(r, "eventName"))
        .setTraceId(id(r, "traceId", 16))
        .setSpanId(id(r, "spanId", 8))
        .setFlags((int) int64(r, "flags"));
    JsonNode body = field(r, "body");
    if (body != null && !body.isNull()) {
      b.setBody(anyValue(body, "body"));
    }
    addAttributes(r, b::addAttributes, "attributes");
    return b.build();
  }

  @FunctionalInterface
  private interface PointReader<T> {
    T read(JsonNode point) throws BadField;
  }

  /** Adds each readable data point of {@code data}; an unreadable one is rejected alone. */
  private static <T> void points(JsonNode data, String kind, PointReader<T> read, java.util.function.Consumer<T> add,
      String label, DecodeReport report) throws BadField {
    for (JsonNode p : array(data, "dataPoints", kind + ".dataPoints")) {
      try {
        add.accept(read.read(p));
      } catch (BadField e) {
        report.reject(label + e.getMessage());
      }
    }
  }

  private static int temporality(JsonNode data) throws BadField {
    return enumValue(data, "aggregationTemporality", TEMPORALITIES, "AGGREGATION_TEMPORALITY_");
  }

  /** A metric whose data points could not all be read keeps the readable ones. */
  private static Metric metric(JsonNode m, DecodeReport report) throws BadField {
    Metric.Builder b = Metric.newBuilder()
        .setName(string(m, "name"))
        .setDescription(string(m, "description"))
        .setUnit(string(m, "unit"));
    String label = "metric " + DecodeReport.quote(b.getName()) + ": ";
    JsonNode data;
    if ((data = field(m, "gauge")) != null) {
      Gauge.Builder g = Gauge.newBuilder();
      points(data, "gauge", TreeJsonReference::numberPoint, g::addDataPoints, label, report);
      b.setGauge(g);
    } else if ((data = field(m, "sum")) != null) {
      Sum.Builder g = Sum.newBuilder()
          .setAggregationTemporalityValue(temporality(data))
          .setIsMonotonic(bool(data, "isMonotonic"));
      points(data, "sum", TreeJsonReference::numberPoint, g::addDataPoints, label, report);
      b.setSum(g);
    } else if ((data = field(m, "histogram")) != null) {
      Histogram.Builder g = Histogram.newBuilder().setAggregationTemporalityValue(temporality(data));
      points(data, "histogram", TreeJsonReference::histogramPoint, g::addDataPoints, label, report);
      b.setHistogram(g);
    } else if ((data = field(m, "exponentialHistogram")) != null) {
      ExponentialHistogram.Builder g = ExponentialHistogram.newBuilder()
          .setAggregationTemporalityValue(temporality(data));
      points(data, "exponentialHistogram", TreeJsonReference::exponentialPoint, g::addDataPoints, label, report);
      b.setExponentialHistogram(g);
    } else if ((data = field(m, "summary")) != null) {
      Summary.Builder g = Summary.newBuilder();
      points(data, "summary", TreeJsonReference::summaryPoint, g::addDataPoints, label, report);
      b.setSummary(g);
    }
    return b.build();
  }

  private static NumberDataPoint numberPoint(JsonNode p) throws BadField {
    requireObject(p, "data point");
    NumberDataPoint.Builder b = NumberDataPoint.newBuilder()
        .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
        .setTimeUnixNano(int64(p, "timeUnixNano"))
        .setFlags((int) int64(p, "flags"));
    if (field(p, "asDouble") != null) {
      b.setAsDouble(float64(p, "asDouble"));
    } else if (field(p, "asInt") != null) {
      b.setAsInt(int64(p, "asInt"));
    }
    addAttributes(p, b::addAttributes, "dataPoints[].attributes");
    return b.build();
  }

  private static HistogramDataPoint histogramPoint(JsonNode p) throws BadField {
    requireObject(p, "data point");
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
        .setTimeUnixNano(int64(p, "timeUnixNano"))
        .setCount(int64(p, "count"))
        .setFlags((int) int64(p, "flags"));
    if (field(p, "sum") != null) {
      b.setSum(float64(p, "sum"));
    }
    if (field(p, "min") != null) {
      b.setMin(float64(p, "min"));
    }
    if (field(p, "max") != null) {
      b.setMax(float64(p, "max"));
    }
    for (JsonNode c : array(p, "bucketCounts", "bucketCounts")) {
      b.addBucketCounts(int64(c, "bucketCounts[]"));
    }
    for (JsonNode c : array(p, "explicitBounds", "explicitBounds")) {
      b.addExplicitBounds(float64(c, "explicitBounds[]"));
    }
    addAttributes(p, b::addAttributes, "dataPoints[].attributes");
    return b.build();
  }

  private static ExponentialHistogramDataPoint exponentialPoint(JsonNode p) throws BadField {
    requireObject(p, "data point");
    ExponentialHistogramDataPoint.Builder b = ExponentialHistogramDataPoint.newBuilder()
        .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
        .setTimeUnixNano(int64(p, "timeUnixNano"))
        .setCount(int64(p, "count"))
        .setScale((int) int64(p, "scale"))
        .setZeroCount(int64(p, "zeroCount"))
        .setFlags((int) int64(p, "flags"));
    if (field(p, "sum") != null) {
      b.setSum(float64(p, "sum"));
    }
    if (field(p, "min") != null) {
      b.setMin(float64(p, "min"));
    }
    if (field(p, "max") != null) {
      b.setMax(float64(p, "max"));
    }
    if (field(p, "zeroThreshold") != null) {
      b.setZeroThreshold(float64(p, "zeroThreshold"));
    }
    JsonNode positive = field(p, "positive");
    if (positive != null) {
      b.setPositive(buckets(positive));
    }
    JsonNode negative = field(p, "negative");
    if (negative != null) {
      b.setNegative(buckets(negative));
    }
    addAttributes(p, b::addAttributes, "dataPoints[].attributes");
    return b.build();
  }

  private static ExponentialHistogramDataPoint.Buckets buckets(JsonNode n) throws BadField {
    ExponentialHistogramDataPoint.Buckets.Builder b = ExponentialHistogramDataPoint.Buckets.newBuilder()
        .setOffset((int) int64(n, "offset"));
    for (JsonNode c : array(n, "bucketCounts", "bucketCounts")) {
      b.addBucketCounts(int64(c, "bucketCounts[]"));
    }
    return b.build();
  }

  private static SummaryDataPoint summaryPoint(JsonNode p) throws BadField {
    requireObject(p, "data point");
    SummaryDataPoint.Builder b = SummaryDataPoint.newBuilder()
        .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
        .setTimeUnixNano(int64(p, "timeUnixNano"))
        .setCount(int64(p, "count"))
        .setSum(float64(p, "sum"))
        .setFlags((int) int64(p, "flags"));
    for (JsonNode q : array(p, "quantileValues", "quantileValues")) {
      b.addQuantileValues(SummaryDataPoint.ValueAtQuantile.newBuilder()
          .setQuantile(float64(q, "quantile"))
          .setValue(float64(q, "value")));
    }
    addAttributes(p, b::addAttributes, "dataPoints[].attributes");
    return b.build();
  }

  // ---------------------------------------------------------------- values

  private interface KeyValueSink {
    Object add(KeyValue kv);
  }

  private static void addAttributes(JsonNode holder, KeyValueSink sink, String where) throws BadField {
    for (JsonNode kv : array(holder, "attributes", where)) {
      sink.add(keyValue(kv, where));
    }
  }

  private static KeyValue keyValue(JsonNode kv, String where) throws BadField {
    if (!kv.isObject()) {
      throw new BadField(where + ": expected {\"key\":…,\"value\":…}, got " + describe(kv));
    }
    String key = string(kv, "key");
    JsonNode value = field(kv, "value");
    KeyValue.Builder b = KeyValue.newBuilder().setKey(key);
    if (value != null && !value.isNull()) {
      b.setValue(anyValue(value, where + "[" + key + "]"));
    }
    return b.build();
  }

  private static AnyValue anyValue(JsonNode v, String where) throws BadField {
    if (!v.isObject()) {
      throw new BadField(where + ": expected an AnyValue object such as {\"stringValue\":…}, got " + describe(v));
    }
    JsonNode x;
    if ((x = field(v, "stringValue")) != null) {
      if (!x.isValueNode() || x.isNull()) {
        throw new BadField(where + ".stringValue: expected a string, got " + describe(x));
      }
      return AnyValue.newBuilder().setStringValue(x.asText()).build();
    }
    if ((x = field(v, "boolValue")) != null) {
      return AnyValue.newBuilder().setBoolValue(bool(v, "boolValue")).build();
    }
    if ((x = field(v, "intValue")) != null) {
      return AnyValue.newBuilder().setIntValue(int64(v, "intValue")).build();
    }
    if ((x = field(v, "doubleValue")) != null) {
      return AnyValue.newBuilder().setDoubleValue(float64(v, "doubleValue")).build();
    }
    if ((x = field(v, "bytesValue")) != null) {
      return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(base64(x, where + ".bytesValue"))).build();
    }
    if ((x = field(v, "arrayValue")) != null) {
      ArrayValue.Builder b = ArrayValue.newBuilder();
      for (JsonNode e : array(x, "values", where + ".arrayValue.values")) {
        b.addValues(anyValue(e, where + "[]"));
      }
      return AnyValue.newBuilder().setArrayValue(b).build();
    }
    if ((x = field(v, "kvlistValue")) != null) {
      KeyValueList.Builder b = KeyValueList.newBuilder();
      for (JsonNode kv : array(x, "values", where + ".kvlistValue.values")) {
        b.addValues(keyValue(kv, where));
      }
      return AnyValue.newBuilder().setKvlistValue(b).build();
    }
    return AnyValue.getDefaultInstance();
  }

  // ---------------------------------------------------------------- fields

  /** The field under its lowerCamelCase name or its snake_case one; null when absent. */
  static JsonNode field(JsonNode n, String camel) {
    JsonNode v = n.get(camel);
    if (v == null) {
      v = n.get(SNAKE.computeIfAbsent(camel, TreeJsonReference::snake));
    }
    return v;
  }

  private static String snake(String camel) {
    StringBuilder b = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        b.append('_').append(Character.toLowerCase(c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static Iterable<JsonNode> array(JsonNode holder, String name, String where, String... legacy)
      throws BadField {
    JsonNode a = field(holder, name);
    for (int i = 0; a == null && i < legacy.length; i++) {
      a = field(holder, legacy[i]);
    }
    if (a == null || a.isNull()) {
      return java.util.List.of();
    }
    if (!a.isArray()) {
      throw new BadField(where + ": expected an array, got " + describe(a));
    }
    return a;
  }

  private static String string(JsonNode holder, String name) throws BadField {
    JsonNode v = field(holder, name);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isValueNode()) {
      throw new BadField(name + ": expected a string, got " + describe(v));
    }
    return v.asText();
  }

  private static boolean bool(JsonNode holder, String name) throws BadField {
    JsonNode v = field(holder, name);
    if (v == null || v.isNull()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.textValue().equals("true") || v.textValue().equals("false"))) {
      return Boolean.parseBoolean(v.textValue());
    }
    throw new BadField(name + ": expected true or false, got " + describe(v));
  }

  /** An int64/uint64/fixed64 written as a JSON number or a decimal string (as OTLP/JSON requires). */
  private static long int64(JsonNode holder, String name) throws BadField {
    JsonNode v = holder.isValueNode() ? holder : field(holder, name);
    if (v == null || v.isNull()) {
      return 0;
    }
    try {
      if (v.isIntegralNumber()) {
        return v.canConvertToLong() ? v.longValue() : v.bigIntegerValue().longValue();
      }
      if (v.isNumber()) {
        return new BigDecimal(v.asText()).toBigIntegerExact().longValue();
      }
      if (v.isTextual()) {
        String t = v.textValue().trim();
        if (t.isEmpty()) {
          return 0;
        }
        if (t.charAt(0) != '-' && t.length() >= 19) {
          return Long.parseUnsignedLong(t);
        }
        try {
          return Long.parseLong(t);
        } catch (NumberFormatException e) {
          return new BigDecimal(t).toBigIntegerExact().longValue();
        }
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // fall through to the message below
    }
    throw new BadField(name + ": expected an integer (number or decimal string), got " + describe(v));
  }

  private static double float64(JsonNode holder, String name) throws BadField {
    JsonNode v = holder.isValueNode() ? holder : field(holder, name);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      String t = v.textValue().trim();
      switch (t) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          try {
            return Double.parseDouble(t);
          } catch (NumberFormatException e) {
            break;
          }
      }
    }
    throw new BadField(name + ": expected a number, got " + describe(v));
  }

  /** An enum as its number or its name, with or without the prefix ("SPAN_KIND_SERVER", "SERVER"). */
  private static int enumValue(JsonNode holder, String name, String[] names, String prefix) throws BadField {
    JsonNode v = field(holder, name);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (v.isIntegralNumber() && v.canConvertToInt()) {
      return v.intValue();
    }
    if (v.isTextual()) {
      String t = v.textValue().trim().toUpperCase(Locale.ROOT);
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(t) || names[i].equals(prefix + t)) {
          return i;
        }
      }
      try {
        return Integer.parseInt(t);
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new BadField(name + ": expected one of " + names[0] + "… or its number, got " + describe(v));
  }

  /** An id as OTLP/JSON writes it (hex), or base64 as generic protobuf JSON printers write bytes. */
  private static ByteString id(JsonNode holder, String name, int length) throws BadField {
    JsonNode v = field(holder, name);
    if (v == null || v.isNull()) {
      return ByteString.EMPTY;
    }
    if (!v.isTextual()) {
      throw new BadField(name + ": expected a hex string, got " + describe(v));
    }
    String t = v.textValue();
    if (t.isEmpty()) {
      return ByteString.EMPTY;
    }
    byte[] hex = hex(t);
    if (hex != null) {
      return ByteString.copyFrom(hex);
    }
    try {
      byte[] b64 = Base64.getDecoder().decode(t);
      if (b64.length == length) {
        return ByteString.copyFrom(b64);
      }
    } catch (IllegalArgumentException e) {
      // not base64 either
    }
    throw new BadField(name + ": expected " + (2 * length) + " hex characters, got " + describe(v));
  }

  private static byte[] hex(String t) {
    if ((t.length() & 1) != 0) {
      return null;
    }
    byte[] out = new byte[t.length() / 2];
    for (int i = 0; i < out.length; i++) {
      int hi = Character.digit(t.charAt(2 * i), 16);
      int lo = Character.digit(t.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      out[i] = (byte) (hi << 4 | lo);
    }
    return out;
  }

  private static byte[] base64(JsonNode v, String where) throws BadField {
    if (v.isTextual()) {
      String t = v.textValue();
      try {
        return Base64.getDecoder().decode(t);
      } catch (IllegalArgumentException e) {
        try {
          return Base64.getUrlDecoder().decode(t);
        } catch (IllegalArgumentException e2) {
          // fall through
        }
      }
    }
    throw new BadField(where + ": expected base64, got " + describe(v));
  }

  private static void requireObject(JsonNode n, String what) throws BadField {
    if (!n.isObject()) {
      throw new BadField("expected a " + what + " object, got " + describe(n));
    }
  }

  /** A short rendering of a JSON value for an error message. */
  static String describe(JsonNode v) {
    String s = v.isContainerNode() ? (v.isArray() ? "an array" : "an object") : v.toString();
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
