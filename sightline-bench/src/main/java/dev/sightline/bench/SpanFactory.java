package dev.sightline.bench;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.ByteBuffer;
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

  /**
   * A fast source of unique requests: one serialized template whose trace ids are rewritten in
   * place for every request, so the load generator spends its CPU on sending, not on building.
   */
  final class Template {
    private final byte[] bytes;
    private final int[][] offsets; // per trace: where its 16-byte trace id occurs

    Template(int traces) {
      long base = ids.addAndGet(traces);
      this.bytes = request(traces, base - traces + 1);
      this.offsets = new int[traces][];
      for (int t = 0; t < traces; t++) {
        byte[] id = ByteBuffer.allocate(16).putLong(0x5117L).putLong(base - traces + 1 + t).array();
        java.util.List<Integer> at = new java.util.ArrayList<>();
        for (int i = 0; i + 16 <= bytes.length; i++) {
          if (java.util.Arrays.equals(bytes, i, i + 16, id, 0, 16)) {
            at.add(i);
          }
        }
        offsets[t] = at.stream().mapToInt(Integer::intValue).toArray();
      }
    }

    byte[] next() {
      byte[] copy = bytes.clone();
      long first = ids.addAndGet(offsets.length) - offsets.length + 1;
      for (int t = 0; t < offsets.length; t++) {
        long v = first + t;
        for (int off : offsets[t]) {
          for (int b = 0; b < 8; b++) {
            copy[off + 8 + b] = (byte) (v >>> (56 - 8 * b));
          }
        }
      }
      return copy;
    }
  }

  /** A request with {@code traces} traces, 3 spans each. */
  byte[] request(int traces) {
    return request(traces, ids.addAndGet(traces) - traces + 1);
  }

  private byte[] request(int traces, long firstId) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < traces; i++) {
      long id = firstId + i;
      ByteString traceId = ByteString.copyFrom(ByteBuffer.allocate(16).putLong(0x5117L).putLong(id).array());
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
            .setName("sightline-bench")))).build().toByteArray();
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
