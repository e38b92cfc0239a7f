package dev.sightline.receivers;

import static dev.sightline.receivers.JsonScalars.describe;
import static dev.sightline.receivers.JsonScalars.float64;
import static dev.sightline.receivers.JsonScalars.int64;
import static dev.sightline.receivers.JsonScalars.skip;
import static dev.sightline.receivers.JsonScalars.string;
import static dev.sightline.receivers.OtlpJsonValues.array;
import static dev.sightline.receivers.OtlpJsonValues.attributes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.google.protobuf.Message;
import dev.sightline.receivers.JsonScalars.BadField;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
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
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Streams OTLP/JSON metrics into the generated request. A data point that cannot be read is
 * rejected alone; a metric that names two kinds of data (gauge and sum) keeps the first of gauge,
 * sum, histogram, exponential histogram, summary, as the tree reader did.
 */
final class OtlpJsonMetrics {
  private static final String[] TEMPORALITIES = {"AGGREGATION_TEMPORALITY_UNSPECIFIED",
      "AGGREGATION_TEMPORALITY_DELTA", "AGGREGATION_TEMPORALITY_CUMULATIVE"};
  private static final String[] KINDS = {"gauge", "sum", "histogram", "exponentialHistogram", "summary"};

  private OtlpJsonMetrics() {}

  static ExportMetricsServiceRequest metrics(JsonParser p, DecodeReport report) throws IOException, BadField {
    ExportMetricsServiceRequest.Builder req = ExportMetricsServiceRequest.newBuilder();
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals("resourceMetrics") || f.equals("resource_metrics")) {
        req.clearResourceMetrics();
        array(p, "resourceMetrics", e -> req.addResourceMetrics(resourceMetrics(e, report)));
      } else {
        skip(p);
      }
    }
    return req.build();
  }

  private static final OtlpJsonValues.Envelope METRICS = new OtlpJsonValues.Envelope("scopeMetrics", "scope_metrics",
      "instrumentationLibraryMetrics", "instrumentation_library_metrics", "resourceMetrics[].scopeMetrics", "metrics",
      "metrics", "scopeMetrics[].metrics");

  private static ResourceMetrics resourceMetrics(JsonParser p, DecodeReport report) throws IOException, BadField {
    ResourceMetrics.Builder b = ResourceMetrics.newBuilder().setResource(Resource.getDefaultInstance());
    OtlpJsonValues.resourceLevel(p, METRICS, b::setResource, b::clearScopeMetrics,
        e -> b.addScopeMetrics(scopeMetrics(e, report)));
    return b.build();
  }

  private static ScopeMetrics scopeMetrics(JsonParser p, DecodeReport report) throws IOException, BadField {
    ScopeMetrics.Builder b = ScopeMetrics.newBuilder().setScope(InstrumentationScope.getDefaultInstance());
    OtlpJsonValues.scopeLevel(p, METRICS, b::setScope, b::clearMetrics, e -> b.addMetrics(metric(e, report)));
    return b.build();
  }

  /** One kind of data of a metric as read: its message, its points' rejections, or what made it unreadable. */
  private record Data(Message message, List<String> rejections, BadField failure) {}

  /** A metric whose data points could not all be read keeps the readable ones. */
  private static Metric metric(JsonParser p, DecodeReport report) throws IOException, BadField {
    Metric.Builder b = Metric.newBuilder();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return b.build();
    }
    JsonStreamContext own = p.getParsingContext();
    int best = KINDS.length;
    Data data = null;
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "name" -> b.setName(string(p, "name"));
        case "description" -> b.setDescription(string(p, "description"));
        case "unit" -> b.setUnit(string(p, "unit"));
        default -> {
          int kind = kind(f);
          if (kind == KINDS.length || kind > best) {
            skip(p);
          } else {
            best = kind;
            data = data(p, kind, own);
          }
        }
      }
    }
    if (data == null) {
      return b.build();
    }
    if (data.failure != null) {
      throw data.failure;
    }
    String label = "metric " + DecodeReport.quote(b.getName()) + ": ";
    for (String rejection : data.rejections) {
      report.reject(label + rejection);
    }
    switch (best) {
      case 0 -> b.setGauge((Gauge) data.message);
      case 1 -> b.setSum((Sum) data.message);
      case 2 -> b.setHistogram((Histogram) data.message);
      case 3 -> b.setExponentialHistogram((ExponentialHistogram) data.message);
      default -> b.setSummary((Summary) data.message);
    }
    return b.build();
  }

  private static int kind(String field) {
    return switch (field) {
      case "gauge" -> 0;
      case "sum" -> 1;
      case "histogram" -> 2;
      case "exponentialHistogram", "exponential_histogram" -> 3;
      case "summary" -> 4;
      default -> KINDS.length;
    };
  }

  private interface PointReader<T> {
    T read(JsonParser p) throws IOException, BadField;
  }

  private interface PointSink<T> {
    void add(T point);
  }

  /**
   * Reads one kind of data; its failure is kept rather than thrown, since a kind the tree reader
   * preferred may still follow and make this one irrelevant.
   */
  private static Data data(JsonParser p, int kind, JsonStreamContext metric) throws IOException {
    List<String> rejections = new ArrayList<>(0);
    String where = KINDS[kind] + ".dataPoints";
    try {
      Message message = switch (kind) {
        case 0 -> {
          Gauge.Builder g = Gauge.newBuilder();
          dataFields(p, where, null, OtlpJsonMetrics::numberPoint, g::addDataPoints, rejections);
          yield g.build();
        }
        case 1 -> {
          Sum.Builder g = Sum.newBuilder();
          dataFields(p, where, g, OtlpJsonMetrics::numberPoint, g::addDataPoints, rejections);
          yield g.build();
        }
        case 2 -> {
          Histogram.Builder g = Histogram.newBuilder();
          dataFields(p, where, g, OtlpJsonMetrics::histogramPoint, g::addDataPoints, rejections);
          yield g.build();
        }
        case 3 -> {
          ExponentialHistogram.Builder g = ExponentialHistogram.newBuilder();
          dataFields(p, where, g, OtlpJsonMetrics::exponentialPoint, g::addDataPoints, rejections);
          yield g.build();
        }
        default -> {
          Summary.Builder g = Summary.newBuilder();
          dataFields(p, where, null, OtlpJsonMetrics::summaryPoint, g::addDataPoints, rejections);
          yield g.build();
        }
      };
      return new Data(message, rejections, null);
    } catch (BadField e) {
      JsonScalars.unwindTo(p, metric);
      return new Data(null, rejections, e);
    }
  }

  /** The fields of a gauge, sum, histogram… object: its data points and, where it has them, temporality and monotonicity. */
  private static <T> void dataFields(JsonParser p, String where, Message.Builder shape, PointReader<T> read,
      PointSink<T> add, List<String> rejections) throws IOException, BadField {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return;
    }
    List<T> points = new ArrayList<>();
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "dataPoints", "data_points" -> {
          points.clear();
          array(p, where, e -> point(e, read, points, rejections));
        }
        case "aggregationTemporality", "aggregation_temporality" -> temporality(p, shape);
        case "isMonotonic", "is_monotonic" -> {
          if (shape instanceof Sum.Builder s) {
            s.setIsMonotonic(JsonScalars.bool(p, "isMonotonic"));
          } else {
            skip(p);
          }
        }
        default -> skip(p);
      }
    }
    for (T point : points) {
      add.add(point);
    }
  }

  private static void temporality(JsonParser p, Message.Builder shape) throws IOException, BadField {
    if (shape == null) {
      skip(p);
      return;
    }
    int t = JsonScalars.enumValue(p, "aggregationTemporality", TEMPORALITIES, "AGGREGATION_TEMPORALITY_");
    switch (shape) {
      case Sum.Builder s -> s.setAggregationTemporalityValue(t);
      case Histogram.Builder h -> h.setAggregationTemporalityValue(t);
      case ExponentialHistogram.Builder h -> h.setAggregationTemporalityValue(t);
      default -> { }
    }
  }

  /** Adds the data point under the current token, or rejects it alone. */
  private static <T> void point(JsonParser p, PointReader<T> read, List<T> points, List<String> rejections)
      throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      rejections.add("expected a data point object, got " + describe(p));
      skip(p);
      return;
    }
    JsonStreamContext own = p.getParsingContext();
    try {
      points.add(read.read(p));
    } catch (BadField e) {
      OtlpJsonReader.restOfRecord(p, own, "");
      rejections.add(e.getMessage());
    }
  }

  // ---------------------------------------------------------------- points (each starts on its START_OBJECT)

  private static NumberDataPoint numberPoint(JsonParser p) throws IOException, BadField {
    NumberDataPoint.Builder b = NumberDataPoint.newBuilder();
    boolean asDouble = false;
    double doubleValue = 0;
    boolean asInt = false;
    long intValue = 0;
    BadField intFailure = null; // counts only when there is no asDouble, which the tree reader preferred
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "startTimeUnixNano", "start_time_unix_nano" -> b.setStartTimeUnixNano(int64(p, "startTimeUnixNano"));
        case "timeUnixNano", "time_unix_nano" -> b.setTimeUnixNano(int64(p, "timeUnixNano"));
        case "flags" -> b.setFlags((int) int64(p, "flags"));
        case "asDouble", "as_double" -> {
          asDouble = true;
          doubleValue = float64(p, "asDouble");
        }
        case "asInt", "as_int" -> {
          asInt = true;
          try {
            intValue = int64(p, "asInt");
            intFailure = null;
          } catch (BadField e) {
            intFailure = e;
            skip(p);
          }
        }
        case "attributes" -> {
          b.clearAttributes();
          attributes(p, b::addAttributes, "dataPoints[].attributes");
        }
        default -> skip(p);
      }
    }
    if (asDouble) {
      b.setAsDouble(doubleValue);
    } else if (asInt) {
      if (intFailure != null) {
        throw intFailure;
      }
      b.setAsInt(intValue);
    }
    return b.build();
  }

  private static HistogramDataPoint histogramPoint(JsonParser p) throws IOException, BadField {
    HistogramDataPoint.Builder b = HistogramDataPoint.newBuilder();
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "startTimeUnixNano", "start_time_unix_nano" -> b.setStartTimeUnixNano(int64(p, "startTimeUnixNano"));
        case "timeUnixNano", "time_unix_nano" -> b.setTimeUnixNano(int64(p, "timeUnixNano"));
        case "count" -> b.setCount(int64(p, "count"));
        case "flags" -> b.setFlags((int) int64(p, "flags"));
        case "sum" -> b.setSum(float64(p, "sum"));
        case "min" -> b.setMin(float64(p, "min"));
        case "max" -> b.setMax(float64(p, "max"));
        case "bucketCounts", "bucket_counts" -> {
          b.clearBucketCounts();
          array(p, "bucketCounts", e -> b.addBucketCounts(element(e, "bucketCounts[]", "bucket_counts[]", true)));
        }
        case "explicitBounds", "explicit_bounds" -> {
          b.clearExplicitBounds();
          array(p, "explicitBounds", e -> b.addExplicitBounds(
              Double.longBitsToDouble(element(e, "explicitBounds[]", "explicit_bounds[]", false))));
        }
        case "attributes" -> {
          b.clearAttributes();
          attributes(p, b::addAttributes, "dataPoints[].attributes");
        }
        default -> skip(p);
      }
    }
    return b.build();
  }

  private static ExponentialHistogramDataPoint exponentialPoint(JsonParser p) throws IOException, BadField {
    ExponentialHistogramDataPoint.Builder b = ExponentialHistogramDataPoint.newBuilder();
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "startTimeUnixNano", "start_time_unix_nano" -> b.setStartTimeUnixNano(int64(p, "startTimeUnixNano"));
        case "timeUnixNano", "time_unix_nano" -> b.setTimeUnixNano(int64(p, "timeUnixNano"));
        case "count" -> b.setCount(int64(p, "count"));
        case "scale" -> b.setScale((int) int64(p, "scale"));
        case "zeroCount", "zero_count" -> b.setZeroCount(int64(p, "zeroCount"));
        case "flags" -> b.setFlags((int) int64(p, "flags"));
        case "sum" -> b.setSum(float64(p, "sum"));
        case "min" -> b.setMin(float64(p, "min"));
        case "max" -> b.setMax(float64(p, "max"));
        case "zeroThreshold", "zero_threshold" -> b.setZeroThreshold(float64(p, "zeroThreshold"));
        case "positive" -> b.setPositive(buckets(p));
        case "negative" -> b.setNegative(buckets(p));
        case "attributes" -> {
          b.clearAttributes();
          attributes(p, b::addAttributes, "dataPoints[].attributes");
        }
        default -> skip(p);
      }
    }
    return b.build();
  }

  /** Buckets; a scalar in their place reads as the offset, as the tree reader had it. */
  private static ExponentialHistogramDataPoint.Buckets buckets(JsonParser p) throws IOException, BadField {
    ExponentialHistogramDataPoint.Buckets.Builder b = ExponentialHistogramDataPoint.Buckets.newBuilder();
    JsonToken t = p.currentToken();
    if (t.isScalarValue()) {
      return b.setOffset((int) int64(p, "offset")).build();
    }
    if (t != JsonToken.START_OBJECT) {
      skip(p);
      return b.build();
    }
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "offset" -> b.setOffset((int) int64(p, "offset"));
        case "bucketCounts", "bucket_counts" -> {
          b.clearBucketCounts();
          array(p, "bucketCounts", e -> b.addBucketCounts(element(e, "bucketCounts[]", "bucket_counts[]", true)));
        }
        default -> skip(p);
      }
    }
    return b.build();
  }

  private static SummaryDataPoint summaryPoint(JsonParser p) throws IOException, BadField {
    SummaryDataPoint.Builder b = SummaryDataPoint.newBuilder();
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "startTimeUnixNano", "start_time_unix_nano" -> b.setStartTimeUnixNano(int64(p, "startTimeUnixNano"));
        case "timeUnixNano", "time_unix_nano" -> b.setTimeUnixNano(int64(p, "timeUnixNano"));
        case "count" -> b.setCount(int64(p, "count"));
        case "sum" -> b.setSum(float64(p, "sum"));
        case "flags" -> b.setFlags((int) int64(p, "flags"));
        case "quantileValues", "quantile_values" -> {
          b.clearQuantileValues();
          array(p, "quantileValues", e -> b.addQuantileValues(quantile(e)));
        }
        case "attributes" -> {
          b.clearAttributes();
          attributes(p, b::addAttributes, "dataPoints[].attributes");
        }
        default -> skip(p);
      }
    }
    return b.build();
  }

  /** A quantile; a scalar in its place is both the quantile and the value, as the tree reader had it. */
  private static SummaryDataPoint.ValueAtQuantile quantile(JsonParser p) throws IOException, BadField {
    SummaryDataPoint.ValueAtQuantile.Builder b = SummaryDataPoint.ValueAtQuantile.newBuilder();
    JsonToken t = p.currentToken();
    if (t.isScalarValue()) {
      return b.setQuantile(float64(p, "quantile")).setValue(float64(p, "value")).build();
    }
    if (t != JsonToken.START_OBJECT) {
      skip(p);
      return b.build();
    }
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "quantile" -> b.setQuantile(float64(p, "quantile"));
        case "value" -> b.setValue(float64(p, "value"));
        default -> skip(p);
      }
    }
    return b.build();
  }

  /**
   * An element of a count or bound array: a scalar, or (as the tree reader looked it up) an object
   * holding the array's name with "[]"; an int64 or, when not {@code integral}, a double's bits.
   */
  private static long element(JsonParser p, String name, String snake, boolean integral)
      throws IOException, BadField {
    JsonToken t = p.currentToken();
    if (t.isScalarValue()) {
      return integral ? int64(p, name) : Double.doubleToRawLongBits(float64(p, name));
    }
    long v = integral ? 0 : Double.doubleToRawLongBits(0);
    if (t != JsonToken.START_OBJECT) {
      skip(p);
      return v;
    }
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals(name) || f.equals(snake)) {
        v = integral ? int64(p, name) : Double.doubleToRawLongBits(float64(p, name));
      } else {
        skip(p);
      }
    }
    return v;
  }
}
