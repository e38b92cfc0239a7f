package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --pricing-file: a custom model is priced from the file, and an edited file is picked up live. */
class PricingFileTest {
  @TempDir Path dir;

  private static SightlineServer start(Path data, Path prices) {
    return SightlineServer.start(SightlineConfig.local(data, 0, 0, 0).withPricingFile(prices));
  }

  private static void send(SightlineServer s, String traceId, long input, long output) throws Exception {
    long now = System.currentTimeMillis() * 1_000_000L;
    String body = """
        {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"priced"}}]},
          "scopeSpans":[{"spans":[{"traceId":"%s","spanId":"00000000000000f1","name":"chat acme-llm","kind":3,
            "startTimeUnixNano":"%d","endTimeUnixNano":"%d","attributes":[
              {"key":"gen_ai.operation.name","value":{"stringValue":"chat"}},
              {"key":"gen_ai.provider.name","value":{"stringValue":"vllm"}},
              {"key":"gen_ai.request.model","value":{"stringValue":"acme-llm"}},
              {"key":"gen_ai.usage.input_tokens","value":{"intValue":"%d"}},
              {"key":"gen_ai.usage.output_tokens","value":{"intValue":"%d"}}]}]}]}]}
        """.formatted(traceId, now - 1_000_000_000L, now, input, output);
    HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + s.otlpHttpPort() + "/v1/traces"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  private static JsonNode call(SightlineServer s, String traceId) {
    return TestServers.get(s, "/api/v1/llm/calls?traceId=" + traceId).get("calls").get(0);
  }

  @Test
  void customModelIsPricedFromTheFileAndEditsApplyToNewCalls() throws Exception {
    Path prices = dir.resolve("prices.yaml");
    Files.writeString(prices, """
        models:
          - name: acme-llm
            provider: vllm
            prices:
              - input: 1.00
                output: 2.00
        """);
    try (SightlineServer s = start(dir.resolve("data"), prices)) {
      String first = "f1000000000000000000000000000001";
      send(s, first, 1000, 500);
      // 1000 × $1/M + 500 × $2/M = $0.001 + $0.001 = $0.002
      JsonNode c = call(s, first);
      assertThat(c.get("costStatus").asText()).isEqualTo("priced");
      assertThat(c.get("costUsd").decimalValue()).isEqualByComparingTo("0.002");
      assertThat(c.get("cost").get("priceKey").asText()).contains("acme-llm");

      Files.writeString(prices, """
          models:
            - name: acme-llm
              provider: vllm
              prices:
                - input: 3.00
                  output: 2.00
          """);
      // 1000 × $3/M + 500 × $2/M = $0.004, once the watcher has picked the edit up.
      long deadline = System.nanoTime() + 20_000_000_000L;
      String traceId;
      int n = 2;
      JsonNode latest;
      do {
        Thread.sleep(500);
        traceId = String.format("f10000000000000000000000000%05d", n++);
        send(s, traceId, 1000, 500);
        latest = call(s, traceId);
      } while (latest.get("costUsd").decimalValue().compareTo(new java.math.BigDecimal("0.004")) != 0
          && System.nanoTime() < deadline);
      assertThat(latest.get("costUsd").decimalValue()).isEqualByComparingTo("0.004");
      // The call priced before the edit keeps its price: changing prices never rewrites history silently.
      assertThat(call(s, first).get("costUsd").decimalValue()).isEqualByComparingTo("0.002");

      // Why does it cost that? The resolver says which entry matched, from where.
      JsonNode why = TestServers.get(s, "/api/v1/pricing/resolve?provider=vllm&model=acme-llm");
      assertThat(why.get("matched").asBoolean()).isTrue();
      assertThat(why.get("source").asText()).isEqualTo("user_file");
      assertThat(why.get("step").asText()).isEqualTo("user_name");
      assertThat(why.get("prices").get("base").get("input").decimalValue()).isEqualByComparingTo("0.000003");
      JsonNode bundled = TestServers.get(s, "/api/v1/pricing/resolve?provider=openai&model=gpt-4o-2024-08-06");
      assertThat(bundled.get("source").asText()).isEqualTo("bundled");
      assertThat(bundled.get("key").asText()).isEqualTo("gpt-4o-2024-08-06");
      JsonNode none = TestServers.get(s, "/api/v1/pricing/resolve?provider=vllm&model=no-such-model");
      assertThat(none.get("matched").asBoolean()).isFalse();
      assertThat(none.get("reason").asText()).isNotBlank();
      assertThat(TestServers.get(s, "/api/v1/pricing/resolve?provider=openai").get("_status").asInt()).isEqualTo(400);
    }
  }

  @Test
  void anInvalidFileStopsStartUpWithTheLine() throws Exception {
    Path prices = dir.resolve("bad.yaml");
    Files.writeString(prices, """
        models:
          - name: acme-llm
            prices:
              - input: -1.00
        """);
    assertThatThrownBy(() -> start(dir.resolve("data2"), prices)).isInstanceOf(StartupException.class)
        .hasMessageContaining("bad.yaml:4");
  }
}
