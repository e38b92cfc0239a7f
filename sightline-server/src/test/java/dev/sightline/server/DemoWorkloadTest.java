package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.server.config.SightlineConfig;
import dev.sightline.server.demo.DemoWorkload;
import dev.sightline.server.demo.GatewayTraffic;
import dev.sightline.server.demo.SimulatedUpstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo's traffic, sent through the real OTLP path, shows everything the demo promises. */
class DemoWorkloadTest {
  @TempDir Path dir;

  @Test
  void demoTrafficCoversServicesRoutesProvidersTokensErrorsAndSessions() {
    try (SightlineServer server = TestServers.start(dir.resolve("data"))) {
      try (DemoWorkload w = new DemoWorkload("http://127.0.0.1:" + server.otlpGrpcPort(),
          "http://127.0.0.1:" + server.otlpHttpPort(), 7)) {
        for (int i = 0; i < 400; i++) {
          w.emitTrace();
        }
        w.flush();
      }
      JsonNode calls = TestServers.await(server, "/api/v1/llm/calls?limit=10000",
          n -> n.get("calls") != null && n.get("calls").size() >= 600);
      Set<String> providers = new HashSet<>();
      Set<String> services = new HashSet<>();
      Set<String> routes = new HashSet<>();
      Set<Integer> errors = new HashSet<>();
      boolean cached = false;
      boolean reasoning = false;
      boolean unpriced = false;
      boolean sessions = false;
      boolean users = false;
      for (JsonNode c : calls.get("calls")) {
        providers.add(c.get("provider").asText());
        services.add(c.get("service").asText());
        routes.add(c.get("route").asText());
        if (c.get("status").asText().equals("error")) {
          errors.add(c.get("httpStatus").asInt());
        }
        cached |= c.get("usage").get("cacheReadInputTokens").asLong() > 0;
        reasoning |= c.get("usage").get("reasoningOutputTokens").asLong() > 0;
        unpriced |= c.get("costStatus").asText().equals("unpriced");
        sessions |= !c.get("sessionId").isNull();
        users |= !c.get("userId").isNull();
      }
      assertThat(providers).contains("openai", "anthropic", "aws.bedrock", "gcp.gemini", "vllm");
      assertThat(services).containsExactlyInAnyOrder("support-bot", "search-api", "doc-summarizer");
      assertThat(routes).containsExactlyInAnyOrder("POST /chat", "GET /search", "POST /summarize");
      assertThat(errors).contains(429, 500);
      assertThat(cached).isTrue();
      assertThat(reasoning).isTrue();
      assertThat(unpriced).as("the self-hosted model is unpriced, not free").isTrue();
      assertThat(sessions).isTrue();
      assertThat(users).isTrue();

      // The self-hosted model is listed as unpriced, with its calls and tokens.
      JsonNode unpricedModels = TestServers.get(server, "/api/v1/pricing/unpriced").get("models");
      assertThat(unpricedModels.findValuesAsText("model")).containsExactly("acme/support-llama-3.1-8b-ft");
      assertThat(unpricedModels.get(0).get("calls").asLong()).isPositive();
      assertThat(unpricedModels.get(0).get("inputTokens").asLong()).isPositive();

      // A RAG trace: HTTP → retrieval → tool → LLM, with the time split by category.
      JsonNode traces = TestServers.get(server, "/api/v1/traces?service=support-bot&limit=5");
      String traceId = traces.get("traces").get(0).get("traceId").asText();
      JsonNode breakdown = TestServers.get(server, "/api/v1/traces/" + traceId).get("breakdown");
      assertThat(breakdown.has("retrieval")).isTrue();
      assertThat(breakdown.has("tool")).isTrue();
      assertThat(breakdown.has("llm")).isTrue();
      assertThat(breakdown.get("retrieval").asDouble()).isBetween(1000.0, 2500.0);
    }
  }

  @Test
  void demoGatewayTrafficIsMeasuredOnTheWire() {
    try (SimulatedUpstream simulated = new SimulatedUpstream(11, 0.0)) {
      SightlineConfig local = SightlineConfig.local(dir.resolve("gw"), 0, 0, 0);
      try (SightlineServer server = SightlineServer.start(
          local.withGateway(local.gateway().withRoute("sim", simulated.uri())))) {
        List<CompletableFuture<Integer>> sent = new ArrayList<>();
        try (GatewayTraffic traffic = new GatewayTraffic("http://127.0.0.1:" + server.httpPort() + "/gateway/sim",
            "http://127.0.0.1:" + server.otlpHttpPort(), 5)) {
          for (int i = 0; i < 12; i++) {
            sent.add(traffic.send());
          }
          for (CompletableFuture<Integer> f : sent) {
            assertThat(f.join()).isEqualTo(200);
          }
          traffic.flush();
        }
        JsonNode calls = TestServers.await(server, "/api/v1/llm/calls?service=" + GatewayTraffic.SERVICE + "&limit=100",
            n -> n.get("calls") != null && n.get("calls").size() >= 12);
        int streamed = 0;
        for (JsonNode c : calls.get("calls")) {
          assertThat(c.get("provider").asText()).isEqualTo("sim");
          assertThat(c.get("route").asText()).isEqualTo(GatewayTraffic.ROUTE);
          assertThat(c.get("sessionId").asText()).startsWith("gw-sess-");
          assertThat(c.get("userId").asText()).startsWith("user-");
          assertThat(c.get("usage").get("outputTokens").asLong()).isPositive();
          if (c.get("streaming").asBoolean()) {
            streamed++;
            assertThat(c.get("ttftSource").asText()).isEqualTo("gateway");
            assertThat(c.get("ttftMs").asDouble()).isBetween(199.0, 2000.0);
            assertThat(c.get("tpotMs").asDouble()).isBetween(10.0, 60.0);
          }
        }
        assertThat(streamed).isPositive();

        // each gateway call is a child span in the app's own trace
        String traceId = calls.get("calls").get(0).get("traceId").asText();
        JsonNode trace = TestServers.await(server, "/api/v1/traces/" + traceId,
            n -> n.get("spans") != null && n.get("spans").size() >= 2);
        assertThat(trace.get("spans").findValuesAsText("name")).contains(GatewayTraffic.ROUTE);
      }
    }
  }
}
