package dev.sightline.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Realistic OTLP trace requests for load: each trace is an HTTP root span, a retrieval span and a
 * GenAI chat span with usage, TTFT and a short message (so one span in three is an LLM call).
 */
final class SpanFactory {
  private static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4-20250514", "o3-mini", "gemini-2.5-flash"};
  private static final String[] PROVIDERS = {"openai", "openai", "anthropic", "openai", "gcp.gemini"};
  private final AtomicLong ids = new AtomicLong(System.nanoTime());
  /** With RAG content: the retrieval span carries documents and the chat span its answer, so evaluators have work. */
  private final boolean ragContent;

  SpanFactory() {
    this(false);
  }

  SpanFactory(boolean ragContent) {
    this.ragContent = ragContent;
  }

  private static final String[] DOCUMENTS = {
      "Orders ship within 2 business days. Tracking numbers are emailed when the parcel leaves the warehouse.",
      "Returns are accepted within 30 days of delivery. Refunds are issued to the original payment method within"
          + " 5 business days after the return arrives.",
      "Express delivery costs 12 euros and arrives the next business day when ordered before 2 pm."};
  private static final String[] ANSWERS = {
      "Your order ships within two business days, and you will get the tracking number by email once it leaves"
          + " the warehouse.",
      "Your order ships within 5 business days. Express delivery is free for every order."};

  /** The two OTLP/HTTP encodings of the same requests, with the Content-Type each is sent with. */
  enum Encoding {
    PROTOBUF("application/x-protobuf"),
    JSON("application/json");

    final String contentType;

    Encoding(String contentType) {
      this.contentType = contentType;
    }

    /** protobuf or json, as the command line writes them; null for anything else. */
    static Encoding parse(String name) {
      return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
        case "protobuf", "proto" -> PROTOBUF;
        case "json" -> JSON;
        default -> null;
      };
    }
  }

  /**
   * A fast source of unique requests: one serialized template whose trace ids are rewritten in
   * place for every request, so the load generator spends its CPU on sending, not on building.
   * In JSON the low 16 hex digits of each trace id are rewritten; in protobuf its low 8 bytes.
   */
  final class Template {
    private final Encoding encoding;
    private final byte[] bytes;
    private final int[][] offsets; // per trace: where the rewritten part of its trace id starts

    Template(int traces) {
      this(traces, Encoding.PROTOBUF);
    }

    Template(int traces, Encoding encoding) {
      this.encoding = encoding;
      long first = ids.addAndGet(traces) - traces + 1;
      ExportTraceServiceRequest request = message(traces, first);
      this.bytes = encoding == Encoding.JSON ? json(request) : request.toByteArray();
      this.offsets = encoding == Encoding.JSON ? jsonOffsets(bytes, traces, first) : protobufOffsets(bytes, traces, first);
    }

    Encoding encoding() {
      return encoding;
    }

    /** Spans in each request. */
    int spans() {
      return offsets.length * 3;
    }

    byte[] next() {
      byte[] copy = bytes.clone();
      long first = ids.addAndGet(offsets.length) - offsets.length + 1;
      for (int t = 0; t < offsets.length; t++) {
        long v = first + t;
        for (int off : offsets[t]) {
          if (encoding == Encoding.JSON) {
            for (int d = 0; d < 16; d++) {
              copy[off + d] = HEX[(int) (v >>> (60 - 4 * d)) & 0xf];
            }
          } else {
            for (int b = 0; b < 8; b++) {
              copy[off + b] = (byte) (v >>> (56 - 8 * b));
            }
          }
        }
      }
      return copy;
    }
  }

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static int[][] protobufOffsets(byte[] bytes, int traces, long first) {
    int[][] offsets = new int[traces][];
    for (int t = 0; t < traces; t++) {
      byte[] id = traceId(first + t);
      List<Integer> at = new ArrayList<>();
      for (int i = 0; i + 16 <= bytes.length; i++) {
        if (Arrays.equals(bytes, i, i + 16, id, 0, 16)) {
          at.add(i + 8);
        }
      }
      offsets[t] = at.stream().mapToInt(Integer::intValue).toArray();
    }
    return offsets;
  }

  /** Every {@code "traceId":"…"} value, by the trace it names (one pass over the body). */
  private static int[][] jsonOffsets(byte[] bytes, int traces, long first) {
    byte[] key = "\"traceId\":\"".getBytes(StandardCharsets.US_ASCII);
    List<List<Integer>> at = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      at.add(new ArrayList<>());
    }
    for (int i = 0; i + key.length + 32 <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + key.length, key, 0, key.length)) {
        int hex = i + key.length;
        long low = Long.parseUnsignedLong(new String(bytes, hex + 16, 16, StandardCharsets.US_ASCII), 16);
        at.get((int) (low - first)).add(hex + 16);
      }
    }
    return at.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
  }

  /**
   * The request in the OTLP/JSON encoding (opentelemetry-proto's docs/specification.md, "JSON
   * Protobuf Encoding"): lowerCamelCase keys, hex trace and span ids, enums as numbers, int64 as strings.
   */
  static byte[] json(ExportTraceServiceRequest request) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
        g.writeStartObject();
        g.writeArrayFieldStart("resourceSpans");
        for (ResourceSpans rs : request.getResourceSpansList()) {
          g.writeStartObject();
          g.writeObjectFieldStart("resource");
          attributes(g, rs.getResource().getAttributesList());
          g.writeEndObject();
          g.writeArrayFieldStart("scopeSpans");
          for (ScopeSpans ss : rs.getScopeSpansList()) {
            g.writeStartObject();
            g.writeObjectFieldStart("scope");
            g.writeStringField("name", ss.getScope().getName());
            g.writeEndObject();
            g.writeArrayFieldStart("spans");
            for (Span s : ss.getSpansList()) {
              span(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
          }
          g.writeEndArray();
          g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
  }

  private static void span(JsonGenerator g, Span s) throws IOException {
    g.writeStartObject();
    g.writeStringField("traceId", hex(s.getTraceId()));
    g.writeStringField("spanId", hex(s.getSpanId()));
    if (!s.getParentSpanId().isEmpty()) {
      g.writeStringField("parentSpanId", hex(s.getParentSpanId()));
    }
    g.writeStringField("name", s.getName());
    g.writeNumberField("kind", s.getKindValue());
    g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.getStartTimeUnixNano()));
    g.writeStringField("endTimeUnixNano", Long.toUnsignedString(s.getEndTimeUnixNano()));
    attributes(g, s.getAttributesList());
    g.writeEndObject();
  }

  private static void attributes(JsonGenerator g, List<KeyValue> attributes) throws IOException {
    g.writeArrayFieldStart("attributes");
    for (KeyValue kv : attributes) {
      g.writeStartObject();
      g.writeStringField("key", kv.getKey());
      g.writeObjectFieldStart("value");
      AnyValue v = kv.getValue();
      switch (v.getValueCase()) {
        case STRING_VALUE -> g.writeStringField("stringValue", v.getStringValue());
        case INT_VALUE -> g.writeStringField("intValue", Long.toString(v.getIntValue()));
        case DOUBLE_VALUE -> g.writeNumberField("doubleValue", v.getDoubleValue());
        case BOOL_VALUE -> g.writeBooleanField("boolValue", v.getBoolValue());
        default -> throw new IllegalArgumentException("the bench's spans carry no " + v.getValueCase());
      }
      g.writeEndObject();
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private static String hex(ByteString id) {
    return HexFormat.of().formatHex(id.toByteArray());
  }

  private static byte[] traceId(long id) {
    return ByteBuffer.allocate(16).putLong(0x5117L).putLong(id).array();
  }

  /** A request with {@code traces} traces, 3 spans each. */
  byte[] request(int traces) {
    return message(traces, ids.addAndGet(traces) - traces + 1).toByteArray();
  }

  private ExportTraceServiceRequest message(int traces, long firstId) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < traces; i++) {
      long id = firstId + i;
      ByteString traceId = ByteString.copyFrom(traceId(id));
      ByteString root = spanId(id, 1);
      ByteString retrieval = spanId(id, 2);
      ByteString llm = spanId(id, 3);
      int m = (int) (id % MODELS.length);
      scope.addSpans(Span.newBuilder().setTraceId(traceId).setSpanId(root).setName("POST /chat")
          .setKind(Span.SpanKind.SPAN_KIND_SERVER)
          .setStartTimeUnixNano(now - 3_000_000_000L).setEndTimeUnixNano(now)
          .addAttributes(str("http.request.method", "POST")).addAttributes(str("http.route", "/chat"))
          .addAttributes(num("http.response.status_code", 200)));
      Span.Builder retrievalSpan = Span.newBuilder().setTraceId(traceId).setSpanId(retrieval).setParentSpanId(root)
          .setName("retrieve documents").setStartTimeUnixNano(now - 2_990_000_000L).setEndTimeUnixNano(now - 2_200_000_000L)
          .addAttributes(str("openinference.span.kind", "RETRIEVER")).addAttributes(str("db.system.name", "qdrant"));
      Span.Builder llmSpan = Span.newBuilder();
      if (ragContent) {
        for (int d = 0; d < DOCUMENTS.length; d++) {
          retrievalSpan.addAttributes(str("retrieval.documents." + d + ".document.content", DOCUMENTS[d]));
        }
        llmSpan.addAttributes(str("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":"
            + "\"text\",\"content\":\"" + ANSWERS[(int) (id % ANSWERS.length)] + "\"}],\"finish_reason\":\"stop\"}]"));
      }
      scope.addSpans(retrievalSpan);
      scope.addSpans(llmSpan.setTraceId(traceId).setSpanId(llm).setParentSpanId(root)
          .setName("chat " + MODELS[m]).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
          .setStartTimeUnixNano(now - 2_190_000_000L).setEndTimeUnixNano(now - 10_000_000L)
          .addAttributes(str("gen_ai.operation.name", "chat"))
          .addAttributes(str("gen_ai.provider.name", PROVIDERS[m]))
          .addAttributes(str("gen_ai.request.model", MODELS[m]))
          .addAttributes(str("gen_ai.response.model", MODELS[m]))
          .addAttributes(num("gen_ai.usage.input_tokens", 1200 + id % 800))
          .addAttributes(num("gen_ai.usage.cache_read.input_tokens", 400))
          .addAttributes(num("gen_ai.usage.output_tokens", 150 + id % 300))
          .addAttributes(KeyValue.newBuilder().setKey("gen_ai.response.time_to_first_chunk")
              .setValue(AnyValue.newBuilder().setDoubleValue(0.35)))
          .addAttributes(str("gen_ai.conversation.id", "sess-" + id % 500))
          .addAttributes(str("user.id", "user-" + id % 97))
          .addAttributes(str("gen_ai.input.messages",
              "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":\"Where is my order?\"}]}]")));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(str("service.name", "bench-svc")))
        .addScopeSpans(scope.setScope(io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
            .setName("sightline-bench")))).build();
  }

  private static ByteString spanId(long id, int n) {
    return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id * 4 + n).array());
  }

  private static KeyValue str(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static KeyValue num(String k, long v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setIntValue(v)).build();
  }
}
