package dev.sightline.bus;

import dev.sightline.model.CallContext;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Outcome;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** Reads the records of a version-1 batch in the order {@link BatchEncoder} writes them. */
final class BatchDecoder {
  // the fewest bytes each record can take, so that a count the bytes left cannot hold is refused early
  static final int MIN_SPAN_BYTES = 24;
  static final int MIN_EVENT_BYTES = 4;
  static final int MIN_LOG_BYTES = 19;
  static final int MIN_METRIC_BYTES = 18;
  static final int MIN_SCORE_BYTES = 18;

  private final ByteSource in;

  BatchDecoder(ByteSource in) {
    this.in = in;
  }

  TelemetryBatch batch() throws BatchFormatException {
    String receiver = in.readString();
    String project = in.readString();
    int n = in.readCount("span", MIN_SPAN_BYTES);
    List<Span> spans = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.at("span", i);
      spans.add(span());
    }
    in.at(null, 0);
    n = in.readCount("log record", MIN_LOG_BYTES);
    List<LogRecord> logs = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.at("log record", i);
      logs.add(log());
    }
    in.at(null, 0);
    n = in.readCount("metric point", MIN_METRIC_BYTES);
    List<MetricPoint> metrics = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.at("metric point", i);
      metrics.add(metric());
    }
    in.at(null, 0);
    n = in.readCount("score", MIN_SCORE_BYTES);
    List<Score> scores = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      in.at("score", i);
      scores.add(score());
    }
    in.at(null, 0);
    return new TelemetryBatch(receiver, Collections.unmodifiableList(spans), Collections.unmodifiableList(logs),
        Collections.unmodifiableList(metrics), Collections.unmodifiableList(scores), project);
  }

  private Span span() throws BatchFormatException {
    String traceId = in.readString();
    String spanId = in.readString();
    String parentSpanId = in.readString();
    String name = in.readString();
    var kind = WireCodes.spanKind(in.readByte(), in);
    long start = in.readFixed64();
    long end = start + in.readZigzag();
    var status = WireCodes.spanStatus(in.readByte(), in);
    String statusMessage = in.readString();
    String service = in.readString();
    String scopeName = in.readString();
    Map<String, Object> attributes = in.readAttributes(1);
    Map<String, Object> resourceAttributes = in.readAttributes(1);
    int n = in.readCount("span event", MIN_EVENT_BYTES);
    List<SpanEvent> events = n == 0 ? List.of() : new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String eventName = in.readString();
      long time = start + in.readZigzag();
      Map<String, Object> eventAttributes = in.readAttributes(1);
      events.add(new SpanEvent(eventName, time, eventAttributes, in.readValue(0)));
    }
    var category = WireCodes.spanCategory(in.readByte(), in);
    LlmCall llm = switch (in.readByte()) {
      case 0 -> null;
      case 1 -> llm(start);
      default -> throw in.error("an LLM call presence byte other than 0 or 1");
    };
    n = in.readCount("unmapped attribute", 1);
    List<String> unmapped = n == 0 ? List.of() : new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      unmapped.add(in.readString());
    }
    return new Span(traceId, spanId, parentSpanId, name, kind, start, end, status, statusMessage, service, scopeName,
        attributes, resourceAttributes, events, category, llm, unmapped);
  }

  private LlmCall llm(long spanStart) throws BatchFormatException {
    String provider = in.readString();
    String operation = in.readString();
    String requestModel = in.readString();
    String responseModel = in.readString();
    Boolean streaming = in.readNullableBoolean();
    Usage usage = usage();
    Timing timing = timing(spanStart);
    Cost cost = cost();
    Outcome outcome = outcome();
    CallContext context = context();
    Content content = new Content(in.readString(), in.readString(), in.readString(), in.readString());
    String serviceTier = in.readString();
    return new LlmCall(provider, operation, requestModel, responseModel, streaming, usage, timing, cost, outcome,
        context, content, serviceTier);
  }

  private Usage usage() throws BatchFormatException {
    long inputUncached = tokens();
    long cacheRead = tokens();
    long cacheWrite5m = tokens();
    long cacheWrite1h = tokens();
    long outputText = tokens();
    long outputReasoning = tokens();
    var source = WireCodes.usageSource(in.readByte(), in);
    boolean inferredExclusive = in.readBoolean();
    String rejected = in.readString();
    return new Usage(inputUncached, cacheRead, cacheWrite5m, cacheWrite1h, outputText, outputReasoning, source,
        inferredExclusive, rejected);
  }

  private long tokens() throws BatchFormatException {
    long v = in.readVarint();
    if (v < 0) {
      throw in.error("a negative token count");
    }
    return v;
  }

  private Timing timing(long spanStart) throws BatchFormatException {
    int present = in.readByte();
    if (present == 0) {
      return null;
    }
    if ((present & 0xF8) != 0x80) {
      throw in.error("a timing presence byte 0x" + Integer.toHexString(present));
    }
    long start = spanStart + in.readZigzag();
    long end = start + in.readZigzag();
    Long ttft = (present & 1) != 0 ? in.readZigzag() : null;
    var ttftSource = WireCodes.ttftSource(in.readByte(), in);
    Long lastToken = (present & 2) != 0 ? start + in.readZigzag() : null;
    Long maxGap = (present & 4) != 0 ? in.readZigzag() : null;
    return new Timing(start, end, ttft, ttftSource, lastToken, maxGap);
  }

  private Cost cost() throws BatchFormatException {
    switch (in.readByte()) {
      case 0:
        return null;
      case 1:
        break;
      default:
        throw in.error("a cost presence byte other than 0 or 1");
    }
    var status = WireCodes.costStatus(in.readByte(), in);
    BigDecimal total = in.readDecimal();
    BigDecimal input = in.readDecimal();
    BigDecimal cacheRead = in.readDecimal();
    BigDecimal cacheWrite = in.readDecimal();
    BigDecimal output = in.readDecimal();
    BigDecimal reasoning = in.readDecimal();
    String priceKey = in.readString();
    String reason = in.readString();
    return new Cost(status, total, input, cacheRead, cacheWrite, output, reasoning, priceKey, reason,
        in.readDecimal());
  }

  private Outcome outcome() throws BatchFormatException {
    var status = WireCodes.callStatus(in.readByte(), in);
    Integer httpStatus = in.readNullableInt("an HTTP status");
    String errorType = in.readString();
    return new Outcome(status, httpStatus, errorType, requiredStrings("finish reason"));
  }

  private CallContext context() throws BatchFormatException {
    switch (in.readByte()) {
      case 0:
        return null;
      case 1:
        break;
      default:
        throw in.error("a call context presence byte other than 0 or 1");
    }
    return new CallContext(in.readString(), in.readString(), in.readString(), in.readString(), in.readString(),
        in.readString(), in.readString(), in.readString(), requiredStrings("call tag"));
  }

  private List<String> requiredStrings(String what) throws BatchFormatException {
    int n = in.readCount(what, 1);
    if (n == 0) {
      return List.of();
    }
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(in.readRequiredString(what));
    }
    return out;
  }

  private LogRecord log() throws BatchFormatException {
    long time = in.readFixed64();
    long observed = time + in.readZigzag();
    String traceId = in.readString();
    String spanId = in.readString();
    int severity = in.readZigzagInt("a severity number");
    String severityText = in.readString();
    String eventName = in.readString();
    Object body = in.readValue(0);
    String service = in.readString();
    String scopeName = in.readString();
    Map<String, Object> attributes = in.readAttributes(1);
    Map<String, Object> resourceAttributes = in.readAttributes(1);
    return new LogRecord(time, observed, traceId, spanId, severity, severityText, eventName, body, service,
        scopeName, attributes, resourceAttributes);
  }

  private MetricPoint metric() throws BatchFormatException {
    String name = in.readString();
    String description = in.readString();
    String unit = in.readString();
    var type = WireCodes.metricType(in.readByte(), in);
    long time = in.readFixed64();
    long start = time + in.readZigzag();
    String service = in.readString();
    Map<String, Object> attributes = in.readAttributes(1);
    int flags = in.readByte();
    if ((flags & ~0x1F) != 0) {
      throw in.error("a metric flags byte 0x" + Integer.toHexString(flags));
    }
    Double value = (flags & 1) != 0 ? in.readDouble() : null;
    Long count = (flags & 2) != 0 ? in.readZigzag() : null;
    Double sum = (flags & 4) != 0 ? in.readDouble() : null;
    int n = in.readCount("bucket bound", 8);
    List<Double> bounds = n == 0 ? List.of() : new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      bounds.add(in.readDouble());
    }
    n = in.readCount("bucket count", 1);
    List<Long> counts = n == 0 ? List.of() : new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      counts.add(in.readZigzag());
    }
    return new MetricPoint(name, description, unit, type, time, start, service, attributes, value, count, sum,
        bounds, counts, (flags & 8) != 0, (flags & 16) != 0);
  }

  private Score score() throws BatchFormatException {
    String traceId = in.readString();
    String spanId = in.readString();
    String name = in.readString();
    if (name == null || name.isBlank()) {
      throw in.error("a score without a name");
    }
    int flags = in.readByte();
    if ((flags & ~0x7) != 0 || (flags & 6) == 4) {
      throw in.error("a score flags byte 0x" + Integer.toHexString(flags));
    }
    Double value = (flags & 1) != 0 ? in.readDouble() : null;
    Boolean flagged = (flags & 2) != 0 ? (flags & 4) != 0 : null;
    return new Score(traceId, spanId, name, value, in.readString(), flagged, in.readString(), in.readString(),
        in.readString(), in.readString(), in.readString(), in.readFixed64());
  }
}
