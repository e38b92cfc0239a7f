package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import com.google.protobuf.ByteString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acknowledged means durable: spans whose OTLP export was answered 200 survive a kill -9 of the
 * server process, as a restart then shows.
 */
class CrashDurabilityTest {
  @TempDir Path dir;

  @Test
  void acknowledgedSpansSurviveKill9() throws Exception {
    Path data = dir.resolve("data");
    int http = freePort();
    int grpc = freePort();
    int otlpHttp = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    Path log = dir.resolve("server.log");
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "server",
        "--data-dir", data.toString(), "--http-port", String.valueOf(http), "--otlp-grpc-port", String.valueOf(grpc),
        "--otlp-http-port", String.valueOf(otlpHttp), "--auth", "open")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Set<String> acknowledged = new HashSet<>();
    try {
      awaitUp(otlpHttp, p, log);
      // Acknowledged exports, back to back; then SIGKILL right after the last acknowledgement.
      for (int i = 0; i < 40; i++) {
        List<String> traceIds = new ArrayList<>();
        ExportTraceServiceRequest req = request(i, traceIds);
        HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + otlpHttp + "/v1/traces"))
            .header("Content-Type", "application/x-protobuf")
            .POST(HttpRequest.BodyPublishers.ofByteArray(req.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          acknowledged.addAll(traceIds);
        }
      }
    } finally {
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of the database
      p.waitFor(30, TimeUnit.SECONDS);
    }
    assertThat(acknowledged).hasSize(40 * 25);

    try (SightlineServer restarted = TestServers.start(data)) {
      assertThat(restarted.store().spanCount()).isGreaterThanOrEqualTo(40 * 25 * 2);
      for (String traceId : acknowledged) {
        JsonNode t = TestServers.get(restarted, "/api/v1/traces/" + traceId);
        assertThat(t.get("_status").asInt()).as("trace %s", traceId).isEqualTo(200);
        assertThat(t.get("spans")).hasSize(2);
      }
    }
  }

  private static ExportTraceServiceRequest request(int batch, List<String> traceIds) {
    ScopeSpans.Builder scope = ScopeSpans.newBuilder();
    long now = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < 25; i++) {
      ByteBuffer tid = ByteBuffer.allocate(16).putLong(0x5151L + batch).putLong(i + 1L);
      byte[] traceId = tid.array();
      traceIds.add(hex(traceId));
      byte[] root = ByteBuffer.allocate(8).putLong(batch * 1000L + i * 2L + 1).array();
      byte[] child = ByteBuffer.allocate(8).putLong(batch * 1000L + i * 2L + 2).array();
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
        .setResource(Resource.newBuilder().addAttributes(kv("service.name", "crash-test")))
        .addScopeSpans(scope)).build();
  }

  private static KeyValue kv(String k, String v) {
    return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
  }

  private static String hex(byte[] b) {
    StringBuilder s = new StringBuilder();
    for (byte x : b) {
      s.append(String.format("%02x", x));
    }
    return s.toString();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void awaitUp(int port, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new AssertionError("server exited: " + Files.readString(log));
      }
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        Thread.sleep(200);
        return;
      } catch (java.io.IOException e) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("server did not start: " + Files.readString(log));
  }
}
