package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the whole server (receiver → pipeline → DuckDB → API): each gets a 4xx or a
 * partial success with a clear message, the good spans of the same request are stored, and the
 * server keeps answering.
 */
class HostileInputTest {
  @TempDir static Path dir;
  static SightlineServer server;

  @BeforeAll
  static void start() {
    server = TestServers.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse<String> post(String contentType, byte[] body) throws Exception {
    return TestServers.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String span(String traceId, String spanId, String attributesJson) {
    long now = System.currentTimeMillis() * 1_000_000L;
    return """
        {"traceId":"%s","spanId":"%s","name":"s","startTimeUnixNano":"%d","endTimeUnixNano":"%d","attributes":[%s]}"""
        .formatted(traceId, spanId, now - 1_000_000_000L, now, attributesJson);
  }

  private static String envelope(String... spans) {
    return "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"service.name\",\"value\":{\"stringValue\":\"hostile\"}}]},"
        + "\"scopeSpans\":[{\"spans\":[" + String.join(",", spans) + "]}]}]}";
  }

  private static void assertStillHealthy() {
    JsonNode calls = TestServers.get(server, "/api/v1/traces?limit=1");
    assertThat(calls.get("_status").asInt()).isEqualTo(200);
  }

  @Test
  void malformedBodiesAre400WithAMessage() throws Exception {
    HttpResponse<String> r = post("application/json", "{\"resourceSpans\": [ {".getBytes());
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isNotBlank();
    r = post("application/x-protobuf", new byte[] {0x0a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 0x01});
    assertThat(r.statusCode()).isEqualTo(400);
    assertStillHealthy();
  }

  @Test
  void twentyMebibytesIs413() throws Exception {
    byte[] big = new byte[20 * 1024 * 1024];
    java.util.Arrays.fill(big, (byte) ' ');
    HttpResponse<String> r = post("application/json", big);
    assertThat(r.statusCode()).isEqualTo(413);
    assertStillHealthy();
  }

  @Test
  void hugeSpansAreTruncatedVisiblyAndTheGoodSpanBesideThemIsKept() throws Exception {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      if (i > 0) {
        many.append(',');
      }
      many.append("{\"key\":\"k").append(i).append("\",\"value\":{\"intValue\":\"").append(i).append("\"}}");
    }
    String mib = "x".repeat(1024 * 1024);
    String trace = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa1";
    String body = envelope(
        span(trace, "00000000000000a1", many.toString()),
        span(trace, "00000000000000a2", "{\"key\":\"huge\",\"value\":{\"stringValue\":\"" + mib + "\"}}"),
        span(trace, "00000000000000a3", "{\"key\":\"fine\",\"value\":{\"stringValue\":\"ok\"}}"),
        span("abc", "00000000000000a4", "")); // invalid trace id: rejected, reported
    HttpResponse<String> r = post("application/json", body.getBytes());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("rejectedSpans").contains("1");
    JsonNode t = TestServers.get(server, "/api/v1/traces/" + trace);
    assertThat(t.get("spans")).hasSize(3);
    for (JsonNode s : t.get("spans")) {
      switch (s.get("spanId").asText()) {
        case "00000000000000a1" -> assertThat(s.get("attributes").size()).isLessThan(10_000).isGreaterThan(100);
        case "00000000000000a2" -> assertThat(s.get("attributes").get("huge").asText())
            .hasSizeLessThan(1024 * 1024).contains("truncated");
        default -> assertThat(s.get("attributes").get("fine").asText()).isEqualTo("ok");
      }
    }
    assertStillHealthy();
  }

  @Test
  void invalidUtf8KeepsTheRequestsGoodSpans() throws Exception {
    String trace = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb2";
    String body = envelope(span(trace, "00000000000000b1", "{\"key\":\"bad\",\"value\":{\"stringValue\":\"@@@\"}}"),
        span(trace, "00000000000000b2", "{\"key\":\"fine\",\"value\":{\"stringValue\":\"ok\"}}"));
    byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String s = new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    int at = s.indexOf("@@@");
    bytes[at] = (byte) 0xc3;     // a lead byte with no continuation
    bytes[at + 1] = (byte) 0xff; // never valid in UTF-8
    HttpResponse<String> r = post("application/json", bytes);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode t = TestServers.get(server, "/api/v1/traces/" + trace);
    assertThat(t.get("spans")).hasSize(2);
    for (JsonNode sp : t.get("spans")) {
      if (sp.get("spanId").asText().equals("00000000000000b1")) {
        assertThat(sp.get("attributes").get("bad").asText()).contains("\uFFFD");
      }
    }
    assertStillHealthy();
  }

  @Test
  void hostileStringsAreStoredVerbatim() throws Exception {
    String trace = "ccccccccccccccccccccccccccccccc3";
    String evil = "'; DROP TABLE spans; -- <script>alert(1)</script> \\u202e \\u001b[31m";
    String body = envelope(span(trace, "00000000000000c1",
        "{\"key\":\"gen_ai.request.model\",\"value\":{\"stringValue\":\"" + evil + "\"}}"));
    HttpResponse<String> r = post("application/json", body.getBytes());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode t = TestServers.get(server, "/api/v1/traces/" + trace);
    assertThat(t.get("spans").get(0).get("attributes").get("gen_ai.request.model").asText())
        .isEqualTo("'; DROP TABLE spans; -- <script>alert(1)</script> \u202e \u001b[31m");
    assertStillHealthy();
  }
}
