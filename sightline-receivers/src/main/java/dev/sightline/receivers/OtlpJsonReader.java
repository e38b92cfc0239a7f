package dev.sightline.receivers;

import static dev.sightline.receivers.JsonScalars.describe;
import static dev.sightline.receivers.JsonScalars.enumValue;
import static dev.sightline.receivers.JsonScalars.id;
import static dev.sightline.receivers.JsonScalars.int64;
import static dev.sightline.receivers.JsonScalars.skip;
import static dev.sightline.receivers.JsonScalars.string;
import static dev.sightline.receivers.OtlpJsonValues.array;
import static dev.sightline.receivers.OtlpJsonValues.attributes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import dev.sightline.receivers.JsonScalars.BadField;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;

/**
 * Reads OTLP/JSON into the generated request messages straight from the parser's tokens, tolerant
 * of what real senders write: hex ids (and base64 ones, which generic protobuf JSON printers
 * produce), int64 as strings or numbers, enum names or numbers, lowerCamelCase or snake_case keys;
 * unknown fields are ignored. A record whose own fields cannot be read is rejected alone (reported)
 * and its neighbours are kept; only a body whose envelope is not OTLP at all is refused as a whole.
 * When a key appears twice in one object (in either spelling), the later one counts.
 */
final class OtlpJsonReader {
  static final String[] SPAN_KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
      "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
  static final String[] STATUS_CODES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};
  static final String[] SEVERITIES = {"SEVERITY_NUMBER_UNSPECIFIED",
      "SEVERITY_NUMBER_TRACE", "SEVERITY_NUMBER_TRACE2", "SEVERITY_NUMBER_TRACE3", "SEVERITY_NUMBER_TRACE4",
      "SEVERITY_NUMBER_DEBUG", "SEVERITY_NUMBER_DEBUG2", "SEVERITY_NUMBER_DEBUG3", "SEVERITY_NUMBER_DEBUG4",
      "SEVERITY_NUMBER_INFO", "SEVERITY_NUMBER_INFO2", "SEVERITY_NUMBER_INFO3", "SEVERITY_NUMBER_INFO4",
      "SEVERITY_NUMBER_WARN", "SEVERITY_NUMBER_WARN2", "SEVERITY_NUMBER_WARN3", "SEVERITY_NUMBER_WARN4",
      "SEVERITY_NUMBER_ERROR", "SEVERITY_NUMBER_ERROR2", "SEVERITY_NUMBER_ERROR3", "SEVERITY_NUMBER_ERROR4",
      "SEVERITY_NUMBER_FATAL", "SEVERITY_NUMBER_FATAL2", "SEVERITY_NUMBER_FATAL3", "SEVERITY_NUMBER_FATAL4"};

  /** The body's root is not a JSON object; the message says what it is instead. */
  static final class NotAnObject extends Exception {
    NotAnObject(String what) {
      super(what, null, false, false);
    }
  }

  private OtlpJsonReader() {}

  /**
   * The request message of {@code signal} read from the parser's whole root object. Syntax errors
   * anywhere in it come out as Jackson's exceptions, before any {@link BadField} of the envelope, as
   * they did when the tree was built first.
   */
  static Object read(Signal signal, JsonParser p, DecodeReport report) throws IOException, BadField, NotAnObject {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      if (t == null) {
        throw new NotAnObject("nothing");
      }
      String what = describe(p);
      skip(p);
      throw new NotAnObject(what);
    }
    JsonStreamContext root = p.getParsingContext();
    try {
      return switch (signal) {
        case TRACES -> traces(p, report);
        case LOGS -> logs(p, report);
        case METRICS -> OtlpJsonMetrics.metrics(p, report);
      };
    } catch (BadField e) {
      finish(p, root);
      throw e;
    }
  }

  /** Reads to the end of the root object, so that a syntax error further on is what the sender hears. */
  private static void finish(JsonParser p, JsonStreamContext root) throws IOException {
    JsonScalars.unwindTo(p, root);
    while (p.nextToken() != JsonToken.END_OBJECT) {
      skip(p);
    }
  }

  private static final OtlpJsonValues.Envelope SPANS = new OtlpJsonValues.Envelope("scopeSpans", "scope_spans",
      "instrumentationLibrarySpans", "instrumentation_library_spans", "resourceSpans[].scopeSpans", "spans", "spans",
      "scopeSpans[].spans");
  private static final OtlpJsonValues.Envelope LOGS = new OtlpJsonValues.Envelope("scopeLogs", "scope_logs",
      "instrumentationLibraryLogs", "instrumentation_library_logs", "resourceLogs[].scopeLogs", "logRecords",
      "log_records", "scopeLogs[].logRecords");

  // ---------------------------------------------------------------- traces

  private static ExportTraceServiceRequest traces(JsonParser p, DecodeReport report) throws IOException, BadField {
    ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals("resourceSpans") || f.equals("resource_spans")) {
        req.clearResourceSpans();
        array(p, "resourceSpans", e -> req.addResourceSpans(resourceSpans(e, report)));
      } else {
        skip(p);
      }
    }
    return req.build();
  }

  private static ResourceSpans resourceSpans(JsonParser p, DecodeReport report) throws IOException, BadField {
    ResourceSpans.Builder b = ResourceSpans.newBuilder().setResource(io.opentelemetry.proto.resource.v1.Resource
        .getDefaultInstance());
    OtlpJsonValues.resourceLevel(p, SPANS, b::setResource, b::clearScopeSpans, e -> b.addScopeSpans(scopeSpans(e, report)));
    return b.build();
  }

  private static ScopeSpans scopeSpans(JsonParser p, DecodeReport report) throws IOException, BadField {
    ScopeSpans.Builder b = ScopeSpans.newBuilder().setScope(
        io.opentelemetry.proto.common.v1.InstrumentationScope.getDefaultInstance());
    OtlpJsonValues.scopeLevel(p, SPANS, b::setScope, b::clearSpans, e -> span(e, b, report));
    return b.build();
  }

  /** Adds the span under the current token to {@code out}, or rejects it alone. */
  private static void span(JsonParser p, ScopeSpans.Builder out, DecodeReport report) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      report.reject("span " + DecodeReport.quote("") + ": expected a span object, got " + describe(p));
      skip(p);
      return;
    }
    JsonStreamContext own = p.getParsingContext();
    Span.Builder b = Span.newBuilder();
    String name = "";
    String f;
    try {
      while ((f = p.nextFieldName()) != null) {
        p.nextToken();
        switch (f) {
          case "traceId", "trace_id" -> b.setTraceId(id(p, "traceId", 16));
          case "spanId", "span_id" -> b.setSpanId(id(p, "spanId", 8));
          case "parentSpanId", "parent_span_id" -> b.setParentSpanId(id(p, "parentSpanId", 8));
          case "name" -> {
            name = JsonScalars.nameText(p);
            b.setName(string(p, "name"));
          }
          case "kind" -> b.setKindValue(enumValue(p, "kind", SPAN_KINDS, "SPAN_KIND_"));
          case "startTimeUnixNano", "start_time_unix_nano" -> b.setStartTimeUnixNano(int64(p, "startTimeUnixNano"));
          case "endTimeUnixNano", "end_time_unix_nano" -> b.setEndTimeUnixNano(int64(p, "endTimeUnixNano"));
          case "traceState", "trace_state" -> b.setTraceState(string(p, "traceState"));
          case "flags" -> b.setFlags((int) int64(p, "flags"));
          case "droppedAttributesCount", "dropped_attributes_count" ->
              b.setDroppedAttributesCount((int) int64(p, "droppedAttributesCount"));
          case "attributes" -> {
            if (b.getAttributesCount() > 0) {
              b.clearAttributes();
            }
            attributes(p, b::addAttributes, "attributes");
          }
          case "events" -> {
            if (b.getEventsCount() > 0) {
              b.clearEvents();
            }
            array(p, "events", e -> b.addEvents(event(e)));
          }
          case "status" -> b.setStatus(status(p));
          default -> skip(p);
        }
      }
      out.addSpans(b);
    } catch (BadField e) {
      report.reject("span " + DecodeReport.quote(restOfRecord(p, own, name)) + ": " + e.getMessage());
    }
  }

  /**
   * Walks the rest of a record that failed, up to its end, and returns its name as the tree reader
   * quoted it (the last {@code "name"} of the object).
   */
  static String restOfRecord(JsonParser p, JsonStreamContext own, String nameSoFar) throws IOException {
    if (p.currentToken() == JsonToken.END_OBJECT && p.getParsingContext() == own.getParent()) {
      return nameSoFar; // the failure was found once the whole record had been read
    }
    JsonScalars.unwindTo(p, own);
    String name = nameSoFar;
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals("name")) {
        name = JsonScalars.nameText(p);
      }
      skip(p);
    }
    return name;
  }

  /** An event; a scalar in the events array reads as an event at that time, as the tree reader had it. */
  private static Span.Event event(JsonParser p) throws IOException, BadField {
    Span.Event.Builder b = Span.Event.newBuilder();
    JsonToken t = p.currentToken();
    if (t.isScalarValue()) {
      return b.setTimeUnixNano(int64(p, "timeUnixNano")).build();
    }
    if (t != JsonToken.START_OBJECT) {
      skip(p);
      return b.build();
    }
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "name" -> b.setName(string(p, "name"));
        case "timeUnixNano", "time_unix_nano" -> b.setTimeUnixNano(int64(p, "timeUnixNano"));
        case "attributes" -> {
          b.clearAttributes();
          attributes(p, b::addAttributes, "events[].attributes");
        }
        default -> skip(p);
      }
    }
    return b.build();
  }

  private static Status status(JsonParser p) throws IOException, BadField {
    Status.Builder b = Status.newBuilder();
    if (p.currentToken() != JsonToken.START_OBJECT) {
      skip(p);
      return b.build();
    }
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      switch (f) {
        case "code" -> b.setCodeValue(enumValue(p, "code", STATUS_CODES, "STATUS_CODE_"));
        case "message" -> b.setMessage(string(p, "message"));
        default -> skip(p);
      }
    }
    return b.build();
  }

  // ---------------------------------------------------------------- logs

  private static ExportLogsServiceRequest logs(JsonParser p, DecodeReport report) throws IOException, BadField {
    ExportLogsServiceRequest.Builder req = ExportLogsServiceRequest.newBuilder();
    String f;
    while ((f = p.nextFieldName()) != null) {
      p.nextToken();
      if (f.equals("resourceLogs") || f.equals("resource_logs")) {
        req.clearResourceLogs();
        array(p, "resourceLogs", e -> req.addResourceLogs(resourceLogs(e, report)));
      } else {
        skip(p);
      }
    }
    return req.build();
  }

  private static ResourceLogs resourceLogs(JsonParser p, DecodeReport report) throws IOException, BadField {
    ResourceLogs.Builder b = ResourceLogs.newBuilder().setResource(io.opentelemetry.proto.resource.v1.Resource
        .getDefaultInstance());
    OtlpJsonValues.resourceLevel(p, LOGS, b::setResource, b::clearScopeLogs, e -> b.addScopeLogs(scopeLogs(e, report)));
    return b.build();
  }

  private static ScopeLogs scopeLogs(JsonParser p, DecodeReport report) throws IOException, BadField {
    ScopeLogs.Builder b = ScopeLogs.newBuilder().setScope(
        io.opentelemetry.proto.common.v1.InstrumentationScope.getDefaultInstance());
    OtlpJsonValues.scopeLevel(p, LOGS, b::setScope, b::clearLogRecords, e -> logRecord(e, b, report));
    return b.build();
  }

  private static void logRecord(JsonParser p, ScopeLogs.Builder out, DecodeReport report) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      report.reject("log record: expected a log record object, got " + describe(p));
      skip(p);
      return;
    }
    JsonStreamContext own = p.getParsingContext();
    LogRecord.Builder b = LogRecord.newBuilder();
    String f;
    try {
      while ((f = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (f) {
          case "timeUnixNano", "time_unix_nano" -> b.setTimeUnixNano(int64(p, "timeUnixNano"));
          case "observedTimeUnixNano", "observed_time_unix_nano" ->
              b.setObservedTimeUnixNano(int64(p, "observedTimeUnixNano"));
          case "severityNumber", "severity_number" ->
              b.setSeverityNumberValue(enumValue(p, "severityNumber", SEVERITIES, "SEVERITY_NUMBER_"));
          case "severityText", "severity_text" -> b.setSeverityText(string(p, "severityText"));
          case "eventName", "event_name" -> b.setEventName(string(p, "eventName"));
          case "traceId", "trace_id" -> b.setTraceId(id(p, "traceId", 16));
          case "spanId", "span_id" -> b.setSpanId(id(p, "spanId", 8));
          case "flags" -> b.setFlags((int) int64(p, "flags"));
          case "body" -> {
            if (t == JsonToken.VALUE_NULL) {
              b.clearBody();
            } else {
              b.setBody(OtlpJsonValues.anyValue(p, "body", null));
            }
          }
          case "attributes" -> {
            if (b.getAttributesCount() > 0) {
              b.clearAttributes();
            }
            attributes(p, b::addAttributes, "attributes");
          }
          default -> skip(p);
        }
      }
      out.addLogRecords(b);
    } catch (BadField e) {
      restOfRecord(p, own, "");
      report.reject("log record: " + e.getMessage());
    }
  }
}
