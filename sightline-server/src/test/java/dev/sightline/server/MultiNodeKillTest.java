package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.sightline.bus.EmbeddedKafka;
import dev.sightline.store.DuckDbStore;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sightline split over processes: two ingest nodes publish to Kafka, a writer (with the query role)
 * consumes into its store. The writer is killed with SIGKILL in the middle of the stream and started
 * again: every acknowledged span is stored exactly once, and the query role shows what the ingest
 * nodes acknowledged.
 */
class MultiNodeKillTest {
  static final int SPANS_PER_TRACE = 2;
  static final int TRACES_PER_EXPORT = 10;

  @TempDir Path dir;

  @Test
  void aKilledWriterLosesNothingAcknowledgedAndDuplicatesNothing() throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("sightline.batches", 4);
      kafka.createTopic("sightline.batches.dead", 1);
      List<String> bus = List.of("--bus", "kafka://" + kafka.bootstrapServers());
      NodeProcess writer = NodeProcess.start("writer", dir.resolve("writer"), dir.resolve("writer.log"),
          concat(List.of("--role", "writer,query"), bus));
      NodeProcess ingest1 = NodeProcess.start("ingest-1", dir.resolve("ingest-1"), dir.resolve("ingest-1.log"),
          concat(List.of("--role", "ingest"), bus));
      NodeProcess ingest2 = NodeProcess.start("ingest-2", dir.resolve("ingest-2"), dir.resolve("ingest-2.log"),
          concat(List.of("--role", "ingest"), bus));
      List<String> acknowledged = new ArrayList<>();
      try {
        // an ingest node serves no API: it says where the API is
        JsonNode nothing = TestServers.get(ingest1.httpPort, "/api/v1/traces");
        assertThat(nothing.get("_status").asInt()).isEqualTo(404);
        assertThat(nothing.toString()).contains("--role ingest");

        int exports = 60;
        for (int i = 0; i < exports; i++) {
          if (i == 20) {
            writer.kill9(); // in the middle of the stream: the ingest nodes go on acknowledging
          }
          if (i == 40) {
            writer.start(); // same data directory: it resumes from the positions in its store
          }
          NodeProcess to = i % 2 == 0 ? ingest1 : ingest2;
          List<String> traceIds = new ArrayList<>();
          HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(to.otlpHttp("/v1/traces"))
              .header("Content-Type", "application/x-protobuf")
              .POST(HttpRequest.BodyPublishers.ofByteArray(export(i, traceIds).toByteArray())).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as("export %d to %s: %s", i, to.name, r.body()).isEqualTo(200);
          acknowledged.addAll(traceIds);
        }

        // the restarted writer catches up: every acknowledged trace shows on the query role, its spans once
        long t0 = System.nanoTime();
        for (String traceId : acknowledged) {
          JsonNode t = awaitTrace(writer, traceId);
          assertThat(t.get("spans")).as("trace %s", traceId).hasSize(SPANS_PER_TRACE);
        }
        long catchUpMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        // once caught up, an export acknowledged by an ingest node shows on the query role within seconds
        List<String> probe = new ArrayList<>();
        HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(ingest1.otlpHttp("/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(export(exports, probe).toByteArray())).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        long t1 = System.nanoTime();
        awaitTrace(writer, probe.get(probe.size() - 1));
        long visibleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t1);
        acknowledged.addAll(probe);
        System.out.printf("multi-node: catch-up after the writer's restart %d ms; an acknowledged export visible on"
            + " the query role after %d ms%n", catchUpMs, visibleMs);
        assertThat(visibleMs).as("an acknowledged export visible on the query role (docs/scale-out.md)")
            .isLessThan(10_000);
        // the writer counts what it consumed since its restart on /metrics
        String metrics = TestServers.HTTP.send(HttpRequest.newBuilder(writer.http("/metrics")).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^sightline_bus_records_total (\\d+)$")
            .matcher(metrics);
        assertThat(m.find()).as("sightline_bus_records_total on the writer's /metrics").isTrue();
        assertThat(Long.parseLong(m.group(1))).isPositive();
      } finally {
        ingest1.close();
        ingest2.close();
        writer.close();
      }
      assertThat(acknowledged).hasSize(61 * TRACES_PER_EXPORT);
      // the store holds each acknowledged span exactly once: nothing lost, nothing replayed twice
      try (DuckDbStore store = DuckDbStore.open(dir.resolve("writer"))) {
        assertThat(store.spanCount()).isEqualTo((long) acknowledged.size() * SPANS_PER_TRACE);
        assertThat(store.callCount()).isEqualTo(acknowledged.size());
      }
    }
  }

  static JsonNode awaitTrace(NodeProcess node, String traceId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = TestServers.get(node.httpPort, "/api/v1/traces/" + traceId);
      if (last.get("_status").asInt() == 200 && last.get("spans").size() >= SPANS_PER_TRACE) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("trace " + traceId + " not visible on " + node.name + ": " + last);
  }

  static ExportTraceServiceRequest export(int export, List<String> traceIds) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < TRACES_PER_EXPORT; i++) {
      byte[] traceId = ByteBuffer.allocate(16).putLong(0x6b696c6cL + export).putLong(i + 1L).array();
      traceIds.add(HexFormat.of().formatHex(traceId));
      byte[] root = ByteBuffer.allocate(8).putLong(export * 1000L + i * 2L + 1).array();
      byte[] child = ByteBuffer.allocate(8).putLong(export * 1000L + i * 2L + 2).array();
      scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(root))
          .setName("POST /chat").setStartTimeUnixNano(now - 2_000_000_000L).setEndTimeUnixNano(now));
      scope.addSpans(Span.newBuilder().setTraceId(ByteString.copyFrom(traceId)).setSpanId(ByteString.copyFrom(child))
          .setParentSpanId(ByteString.copyFrom(root)).setName("chat gpt-4o")
          .setStartTimeUnixNano(now - 1_900_000_000L).setEndTimeUnixNano(now - 100_000_000L)
          .addAttributes(kv("gen_ai.operation.name", "chat")).addAttributes(kv("gen_ai.provider.name", "openai"))
          .addAttributes(kv("gen_ai.request.model", "gpt-4o"))
          .addAttributes(KeyValue.newBuilder().setKey("gen_ai.usage.input_tokens")
              .setValue(AnyValue.newBuilder().setIntValue(100))));
    }
    return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "multi-node")))
        .addScopeSpans(scope)).build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
