package dev.sightline.semconv;

import dev.sightline.model.testing.SharedFixtures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.model.LogRecord;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Test-side adapters from each fixture shape in {@code shared/fixtures/otlp} to received {@link Span}s,
 * the way the receivers would decode them (see that folder's SOURCES.md for the shapes).
 */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static Path root() {
    return SharedFixtures.file("otlp");
  }

  static Path file(String relative) {
    return root().resolve(relative);
  }

  /** Every fixture file, as paths relative to the otlp folder (SOURCES.md excluded). */
  static List<String> all() {
    try (Stream<Path> s = Files.walk(root())) {
      return s.filter(Files::isRegularFile)
          .filter(f -> f.toString().endsWith(".json"))
          .map(f -> root().relativize(f).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode read(String relative) {
    try {
      return JSON.readTree(file(relative).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The received spans a fixture file stands for (none for metrics, logs and schema files). */
  static List<Span> spans(String relative) {
    JsonNode root = read(relative);
    String group = relative.substring(0, relative.indexOf('/'));
    return switch (group) {
      case "otlp-proto-examples" -> otlpSpans(root, otlpLogs(read("otlp-proto-examples/logs.json")));
      case "openinference-envoy-ai-gateway" -> List.of(protoSpan(root, null, null, Map.of()));
      case "openinference-genai-maps" -> List.of(flatMapSpan(relative, root));
      case "vercel-ai-sdk" -> vercelSpans(root);
      case "langfuse-framework-traces" -> langfuseSpans(root);
      default -> List.of();
    };
  }

  // ---- OTLP/JSON and Go protojson ---------------------------------------------------------------

  /** Spans of an ExportTraceServiceRequest, with the log records that name them joined as events. */
  static List<Span> otlpSpans(JsonNode root, List<LogRecord> logs) {
    List<Span> out = new ArrayList<>();
    for (JsonNode rs : root.path("resourceSpans")) {
      Map<String, Object> resource = attributes(rs.path("resource").path("attributes"));
      for (JsonNode ss : rs.path("scopeSpans")) {
        String scope = text(ss.path("scope").path("name"));
        for (JsonNode s : ss.path("spans")) {
          Span span = protoSpan(s, scope, resource, resource);
          List<SpanEvent> events = new ArrayList<>(span.events());
          for (LogRecord l : logs) {
            if (span.spanId().equals(l.spanId()) && span.traceId().equals(l.traceId())) {
              events.add(l.toSpanEvent());
            }
          }
          out.add(span.withEvents(events));
        }
      }
    }
    return out;
  }

  static List<LogRecord> otlpLogs(JsonNode root) {
    List<LogRecord> out = new ArrayList<>();
    for (JsonNode rl : root.path("resourceLogs")) {
      Map<String, Object> resource = attributes(rl.path("resource").path("attributes"));
      for (JsonNode sl : rl.path("scopeLogs")) {
        for (JsonNode l : sl.path("logRecords")) {
          out.add(new LogRecord(nanos(l.path("timeUnixNano")), nanos(l.path("observedTimeUnixNano")),
              hex(l.path("traceId")), hex(l.path("spanId")), l.path("severityNumber").asInt(),
              text(l.path("severityText")), text(l.path("eventName")), anyValue(l.path("body")),
              (String) resource.get("service.name"), text(sl.path("scope").path("name")),
              attributes(l.path("attributes")), resource));
        }
      }
    }
    return out;
  }

  /** One OTLP span, in OTLP/JSON (integer enums) or Go protojson (enum names) form. */
  static Span protoSpan(JsonNode s, String scope, Map<String, Object> resource, Map<String, Object> res) {
    List<SpanEvent> events = new ArrayList<>();
    for (JsonNode e : s.path("events")) {
      events.add(new SpanEvent(text(e.path("name")), nanos(e.path("timeUnixNano")),
          attributes(e.path("attributes"))));
    }
    Map<String, Object> r = res == null ? Map.of() : res;
    return Span.received(hex(s.path("traceId")), hex(s.path("spanId")), hex(s.path("parentSpanId")),
        text(s.path("name")), kind(s.path("kind")), nanos(s.path("startTimeUnixNano")),
        nanos(s.path("endTimeUnixNano")), status(s.path("status").path("code")),
        text(s.path("status").path("message")), (String) r.get("service.name"), scope,
        attributes(s.path("attributes")), r, events);
  }

  static SpanKind kind(JsonNode k) {
    if (k.isNumber()) {
      return SpanKind.fromOtlp(k.asInt());
    }
    String t = k.asText("").toUpperCase(Locale.ROOT).replace("SPAN_KIND_", "");
    try {
      return t.isEmpty() ? SpanKind.UNSPECIFIED : SpanKind.valueOf(t);
    } catch (IllegalArgumentException e) {
      return SpanKind.UNSPECIFIED;
    }
  }

  static SpanStatus status(JsonNode c) {
    if (c.isNumber()) {
      return SpanStatus.fromOtlp(c.asInt());
    }
    return switch (c.asText("")) {
      case "STATUS_CODE_OK" -> SpanStatus.OK;
      case "STATUS_CODE_ERROR" -> SpanStatus.ERROR;
      default -> SpanStatus.UNSET;
    };
  }

  static Map<String, Object> attributes(JsonNode list) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (JsonNode kv : list) {
      out.put(kv.path("key").asText(), anyValue(kv.path("value")));
    }
    return out;
  }

  static Object anyValue(JsonNode v) {
    if (v == null || v.isMissingNode() || v.isNull()) {
      return null;
    }
    if (v.has("stringValue")) {
      return v.get("stringValue").asText();
    }
    if (v.has("intValue")) {
      return Long.parseLong(v.get("intValue").asText());
    }
    if (v.has("doubleValue")) {
      return v.get("doubleValue").asDouble();
    }
    if (v.has("boolValue")) {
      return v.get("boolValue").asBoolean();
    }
    if (v.has("bytesValue")) {
      return Base64.getDecoder().decode(v.get("bytesValue").asText());
    }
    if (v.has("arrayValue")) {
      List<Object> l = new ArrayList<>();
      for (JsonNode x : v.get("arrayValue").path("values")) {
        l.add(anyValue(x));
      }
      return l;
    }
    if (v.has("kvlistValue")) {
      return attributes(v.get("kvlistValue").path("values"));
    }
    return null;
  }

  // ---- flat attribute maps, Vercel and Langfuse -------------------------------------------------

  static Span flatMapSpan(String relative, JsonNode root) {
    Map<String, Object> attrs = plain(root);
    String name = relative.substring(relative.lastIndexOf('/') + 1).replace(".json", "");
    return Span.received("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", null, name, SpanKind.CLIENT,
        1_700_000_000_000_000_000L, 1_700_000_001_000_000_000L, SpanStatus.UNSET, null, "fixture", null,
        attrs, Map.of(), List.of());
  }

  static List<Span> vercelSpans(JsonNode root) {
    List<Span> out = new ArrayList<>();
    for (JsonNode s : root) {
      List<SpanEvent> events = new ArrayList<>();
      for (JsonNode e : s.path("events")) {
        events.add(new SpanEvent(text(e.path("name")), hrTime(e.path("time")), plain(e.path("attributes"))));
      }
      out.add(Span.received(text(s.path("spanContext").path("traceId")), text(s.path("spanContext").path("spanId")),
          text(s.path("parentSpanId")), text(s.path("name")), SpanKind.INTERNAL, hrTime(s.path("startTime")),
          hrTime(s.path("endTime")), SpanStatus.fromOtlp(s.path("status").path("code").asInt()),
          text(s.path("status").path("message")), "vercel-fixture", "ai", plain(s.path("attributes")), Map.of(),
          events));
    }
    return out;
  }

  /** Each Langfuse observation as the span it was ingested from: its metadata keeps the attributes. */
  static List<Span> langfuseSpans(JsonNode root) {
    List<Span> out = new ArrayList<>();
    for (JsonNode o : root.path("observations")) {
      JsonNode md;
      try {
        md = JSON.readTree(o.path("metadata").asText("{}"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Map<String, Object> attrs = plain(md.path("attributes"));
      restoreMessages(attrs, o);
      Map<String, Object> resource = plain(md.path("resourceAttributes"));
      SpanStatus st = "ERROR".equals(o.path("level").asText()) ? SpanStatus.ERROR : SpanStatus.UNSET;
      out.add(Span.received(text(o.path("traceId")), text(o.path("id")), text(o.path("parentObservationId")),
          text(o.path("name")), SpanKind.INTERNAL, iso(o.path("startTime")), iso(o.path("endTime")), st,
          text(o.path("statusMessage")), (String) resource.get("service.name"),
          text(md.path("scope").path("name")), attrs, resource, List.of()));
    }
    return out;
  }

  /**
   * Langfuse moves {@code gen_ai.input.messages} / {@code gen_ai.output.messages} out of the metadata
   * into the observation's input and output. For OTel GenAI spans (those with
   * {@code gen_ai.operation.name}) put them back where the instrumentation wrote them; OpenInference
   * spans keep theirs in {@code llm.input_messages.*}, which Langfuse left in place.
   */
  private static void restoreMessages(Map<String, Object> attrs, JsonNode observation) {
    if (!attrs.containsKey("gen_ai.operation.name")) {
      return;
    }
    if (observation.path("input").isTextual() && !attrs.containsKey("gen_ai.input.messages")) {
      attrs.put("gen_ai.input.messages", observation.path("input").asText());
    }
    if (observation.path("output").isTextual() && !attrs.containsKey("gen_ai.output.messages")) {
      attrs.put("gen_ai.output.messages", observation.path("output").asText());
    }
  }

  /** JSON values as attribute values: integral numbers as Long, others as Double, arrays as lists. */
  static Map<String, Object> plain(JsonNode obj) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = obj.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      out.put(e.getKey(), plainValue(e.getValue()));
    }
    return out;
  }

  static Object plainValue(JsonNode v) {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isArray()) {
      List<Object> l = new ArrayList<>();
      v.forEach(x -> l.add(plainValue(x)));
      return l;
    }
    if (v.isObject()) {
      return plain(v);
    }
    return null;
  }

  static long hrTime(JsonNode t) {
    return t.isArray() ? t.get(0).asLong() * 1_000_000_000L + t.get(1).asLong() : 0L;
  }

  static long iso(JsonNode t) {
    if (!t.isTextual()) {
      return 0L;
    }
    Instant i = Instant.parse(t.asText());
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  static long nanos(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? 0L : Long.parseLong(n.asText("0"));
  }

  static String hex(JsonNode n) {
    String t = text(n);
    return t == null ? null : t.toLowerCase(Locale.ROOT);
  }

  static String text(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() ? null : n.asText();
  }
}
