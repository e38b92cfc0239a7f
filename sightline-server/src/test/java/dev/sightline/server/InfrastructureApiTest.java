package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace links to its infrastructure: the real vLLM and DCGM pages scraped live give an engine of
 * facebook/opt-125m and two GPUs; a trace that called that model (named in another case and without
 * its organisation) gets the engine and the GPUs over its window ± 5 min, a trace of a hosted model
 * gets empty lists, an unknown trace 404, and the trace endpoints beside it still answer.
 */
class InfrastructureApiTest {
  private static final String SELF_HOSTED = "5b8efff798038103d269b633813fc60c";
  private static final String HOSTED = "7c8efff798038103d269b633813fc60c";
  @TempDir static Path dir;
  static SightlineServer server;
  static FixtureEngine pages;
  static long start;

  @BeforeAll
  static void start() throws Exception {
    pages = new FixtureEngine();
    MonitoringConfig monitoring = pages.monitoring(Map.of());
    server = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withMonitoring(monitoring));
    start = System.currentTimeMillis() * 1_000_000L - 5_000_000_000L;
    send(SELF_HOSTED, "vllm", "OPT-125M");
    send(HOSTED, "openai", "gpt-4o-mini");
    TestServers.await(server, "/api/v1/engines?window=5m", r -> r.path("engines").size() == 1);
    TestServers.await(server, "/api/v1/gpus?window=5m", r -> r.path("gpus").size() >= 2);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (pages != null) {
      pages.close();
    }
  }

  /** One trace: an app's root span and its LLM call of {@code model}, 1.5 s long, started 5 s ago. */
  private static void send(String traceId, String provider, String model) throws Exception {
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"app"}}]},
          "scopeSpans":[{"scope":{"name":"manual"},"spans":[
            {"traceId":"%1$s","spanId":"1ee19b7ec3c1b175","name":"POST /chat","kind":2,
             "startTimeUnixNano":"%4$d","endTimeUnixNano":"%6$d"},
            {"traceId":"%1$s","spanId":"aee19b7ec3c1b175","parentSpanId":"1ee19b7ec3c1b175","name":"chat","kind":3,
             "startTimeUnixNano":"%4$d","endTimeUnixNano":"%5$d","attributes":[
              {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
              {"key":"gen_ai.provider.name","value":{"stringValue":"%2$s"}},
              {"key":"gen_ai.request.model","value":{"stringValue":"%3$s"}},
              {"key":"gen_ai.usage.input_tokens","value":{"intValue":"12"}},
              {"key":"gen_ai.usage.output_tokens","value":{"intValue":"40"}}
             ]}]}]}]}
        """.formatted(traceId, provider, model, start, start + 1_000_000_000L, start + 1_500_000_000L);
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void aTraceOfTheServedModelLinksToItsEngineAndTheGpus() {
    JsonNode r = TestServers.get(server, "/api/v1/traces/" + SELF_HOSTED + "/infrastructure");
    assertThat(r.path("_status").asInt()).as(r.toString()).isEqualTo(200);
    assertThat(r.path("traceId").asText()).isEqualTo(SELF_HOSTED);
    Instant traceStart = Instant.ofEpochSecond(0, start);
    assertThat(Instant.parse(r.path("since").asText())).isEqualTo(traceStart.minus(Duration.ofMinutes(5)));
    assertThat(Instant.parse(r.path("until").asText()))
        .isEqualTo(traceStart.plusMillis(1500).plus(Duration.ofMinutes(5)));
    assertThat(r.path("calls")).hasSize(1);
    JsonNode call = r.path("calls").get(0);
    assertThat(call.path("spanId").asText()).isEqualTo("aee19b7ec3c1b175");
    assertThat(call.path("model").asText()).isEqualTo("OPT-125M");
    assertThat(call.path("provider").asText()).isEqualTo("vllm");
    assertThat(call.path("engines")).hasSize(1);
    JsonNode e = call.path("engines").get(0);
    assertThat(e.path("id").asText()).isEqualTo("vllm:facebook/opt-125m");
    assertThat(e.path("kind").asText()).isEqualTo("vllm");
    assertThat(e.path("service").asText()).isEqualTo("vllm");
    assertThat(e.path("model").asText()).isEqualTo("facebook/opt-125m");

    List<String> expected = new ArrayList<>();
    TestServers.get(server, "/api/v1/gpus?window=5m").path("gpus").forEach(g -> expected.add(g.path("id").asText()));
    List<String> gpus = new ArrayList<>();
    r.path("gpus").forEach(g -> gpus.add(g.path("id").asText()));
    assertThat(gpus).containsExactlyInAnyOrderElementsOf(expected).contains(
        "dcgm:GPU-20c56d28-0da5-6d26-a36a-e7af1ce2586e");
    assertThat(r.path("gpus").findValuesAsText("model")).contains("Tesla T4", "NVIDIA A10G");
  }

  @Test
  void aTraceOfAModelNoEngineServesGetsEmptyLists() {
    JsonNode r = TestServers.get(server, "/api/v1/traces/" + HOSTED + "/infrastructure");
    assertThat(r.path("_status").asInt()).isEqualTo(200);
    assertThat(r.path("calls")).hasSize(1);
    assertThat(r.path("calls").get(0).path("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(r.path("calls").get(0).path("engines")).isEmpty();
    assertThat(r.path("gpus")).isEmpty();
  }

  @Test
  void unknownAndMalformedTracesAreClearErrors() {
    JsonNode missing = TestServers.get(server, "/api/v1/traces/" + "0".repeat(32) + "/infrastructure");
    assertThat(missing.path("_status").asInt()).isEqualTo(404);
    assertThat(missing.path("error").path("code").asText()).isEqualTo("trace_not_found");
    JsonNode bad = TestServers.get(server, "/api/v1/traces/not-a-trace/infrastructure");
    assertThat(bad.path("_status").asInt()).isEqualTo(400);
    assertThat(bad.path("error").path("code").asText()).isEqualTo("invalid_trace_id");
  }

  @Test
  void theTraceEndpointsBesideItStillAnswer() {
    JsonNode trace = TestServers.get(server, "/api/v1/traces/" + SELF_HOSTED + "?details=false");
    assertThat(trace.path("_status").asInt()).isEqualTo(200);
    assertThat(trace.path("spans")).hasSize(2);
    JsonNode span = TestServers.get(server, "/api/v1/traces/" + SELF_HOSTED + "/spans/aee19b7ec3c1b175");
    assertThat(span.path("_status").asInt()).isEqualTo(200);
    assertThat(span.path("spanId").asText()).isEqualTo("aee19b7ec3c1b175");
    JsonNode other = TestServers.get(server, "/api/v1/traces/" + SELF_HOSTED + "/nothing");
    assertThat(other.path("_status").asInt()).isEqualTo(404);
  }
}
