package dev.sightline.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.Server;
import dev.sightline.gateway.CaptureMode;
import dev.sightline.gateway.GatewayConfig;
import dev.sightline.server.config.SightlineConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway inside the server: a streamed chat call through /gateway/openai reaches the client
 * unchanged and is stored with the gateway's own timing and a cost.
 */
class GatewayWiringTest {
  @TempDir Path dir;

  /**
   * A chat stream in the shape OpenAI sends when usage is asked for (role chunk, content chunks, a
   * finish chunk, a usage-only chunk with {@code "choices":[]}, then {@code [DONE]}), 14 tokens in and 30 out.
   */
  static byte[] includeUsageStream() {
    String head = "data: {\"id\":\"chatcmpl-wiring\",\"object\":\"chat.completion.chunk\",\"created\":1727346168,"
        + "\"model\":\"gpt-4o-2024-08-06\",\"system_fingerprint\":\"fp_wiring\",";
    StringBuilder sse = new StringBuilder();
    sse.append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},"
        + "\"finish_reason\":null}],\"usage\":null}\n\n");
    for (String word : "The gateway saw every one of these words go by .".split(" ")) {
      sse.append(head).append("\"choices\":[{\"index\":0,\"delta\":{\"content\":\"").append(word).append(" \"},"
          + "\"finish_reason\":null}],\"usage\":null}\n\n");
    }
    sse.append(head).append("\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n");
    sse.append(head).append("\"choices\":[],\"usage\":{\"prompt_tokens\":14,\"completion_tokens\":30,\"total_tokens\":44,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}\n\n");
    sse.append("data: [DONE]\n\n");
    return sse.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aStreamedChatThroughTheGatewayIsStoredWithWireTimingAndCost() throws Exception {
    byte[] sse = includeUsageStream();
    Server upstream = Server.builder().http(0)
        .service("/v1/chat/completions", (ctx, req) -> HttpResponse.of(
            ResponseHeaders.of(HttpStatus.OK, "content-type", MediaType.EVENT_STREAM), HttpData.wrap(sse)))
        .build();
    upstream.start().join();
    GatewayConfig gateway = new GatewayConfig(URI.create("http://127.0.0.1:" + upstream.activeLocalPort()), Map.of(),
        null, null, CaptureMode.METADATA);
    try (SightlineServer s = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withGateway(gateway))) {
      String body = "{\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      java.net.http.HttpResponse<byte[]> r = TestServers.HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + s.httpPort() + "/gateway/openai/v1/chat/completions"))
          .header("Content-Type", "application/json").header("Authorization", "Bearer sk-test")
          .header("x-sightline-session-id", "gw-session")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(sse); // the client asked for usage, so it gets every byte as sent

      JsonNode calls = TestServers.await(s, "/api/v1/llm/calls?provider=openai",
          n -> n.get("calls") != null && n.get("calls").size() == 1);
      JsonNode c = calls.get("calls").get(0);
      assertThat(c.get("responseModel").asText()).isEqualTo("gpt-4o-2024-08-06");
      assertThat(c.get("ttftSource").asText()).isEqualTo("gateway");
      assertThat(c.get("streaming").asBoolean()).isTrue();
      assertThat(c.get("sessionId").asText()).isEqualTo("gw-session");
      assertThat(c.get("usage").get("inputTokens").asLong()).isEqualTo(14);
      assertThat(c.get("usage").get("outputTokens").asLong()).isEqualTo(30);
      // gpt-4o-2024-08-06: 14 × $2.5e-6 + 30 × $1e-5 = $0.000035 + $0.0003 = $0.000335
      assertThat(c.get("costUsd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.000335"));
      assertThat(c.get("maxInterTokenGapMs").isNull()).isFalse();
    } finally {
      upstream.stop().join();
    }
  }

  @Test
  void aBedrockConverseCallIsStoredWithBedrocksRegionalPrice() throws Exception {
    String converse = "{\"output\":{\"message\":{\"content\":[{\"text\":\"Hi.\"}],\"role\":\"assistant\"}},"
        + "\"stopReason\":\"end_turn\",\"usage\":{\"cacheReadInputTokens\":1200,\"cacheWriteInputTokens\":300,"
        + "\"inputTokens\":12,\"outputTokens\":6,\"totalTokens\":1518},\"metrics\":{\"latencyMs\":321}}";
    Server upstream = Server.builder().http(0)
        .serviceUnder("/model/", (ctx, req) -> HttpResponse.of(HttpStatus.OK, MediaType.JSON, converse))
        .build();
    upstream.start().join();
    // the standard AWS provider chain's first source, so that nothing else is consulted
    System.setProperty("aws.accessKeyId", "AKIDWIRINGEXAMPLE");
    System.setProperty("aws.secretAccessKey", "wiring/secret/EXAMPLEKEY");
    GatewayConfig gateway = GatewayConfig.defaults()
        .withBedrock("us-east-1", URI.create("http://127.0.0.1:" + upstream.activeLocalPort()));
    try (SightlineServer s = SightlineServer.start(SightlineConfig.local(dir.resolve("data"), 0, 0, 0).withGateway(gateway))) {
      java.net.http.HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
              + s.httpPort() + "/gateway/bedrock/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse"))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}"))
          .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(converse);

      JsonNode calls = TestServers.await(s, "/api/v1/llm/calls?provider=aws.bedrock",
          n -> n.get("calls") != null && n.get("calls").size() == 1);
      JsonNode c = calls.get("calls").get(0);
      assertThat(c.get("requestModel").asText()).isEqualTo("us.anthropic.claude-3-5-sonnet-20241022-v2:0");
      assertThat(c.get("usage").get("inputTokens").asLong()).isEqualTo(1512);
      assertThat(c.get("usage").get("outputTokens").asLong()).isEqualTo(6);
      // 12 × 3e-6 + 1200 × 3e-7 + 300 × 3.75e-6 + 6 × 1.5e-5
      assertThat(c.get("costUsd").decimalValue()).isEqualByComparingTo(new BigDecimal("0.001611"));
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
      upstream.stop().join();
    }
  }

  @Test
  void ollamaBedrockAndPerRouteCaptureFlags() {
    String[] args = {"server", "--gateway-ollama-upstream", "http://127.0.0.1:11500",
        "--gateway-bedrock-region", "eu-west-3", "--gateway-route", "vllm=http://127.0.0.1:8000",
        "--gateway-route-capture", "anthropic=off,vllm=on"};
    picocli.CommandLine cli = Main.commandLine(args, Map.of("SIGHTLINE_GATEWAY_CAPTURE", "metadata"));
    ServerCommand cmd = (ServerCommand) cli.parseArgs(args).subcommand().commandSpec().userObject();
    GatewayConfig g = cmd.options.toConfig().gateway();
    assertThat(g.ollamaUpstream()).hasToString("http://127.0.0.1:11500");
    assertThat(g.bedrockSigningRegion()).isEqualTo("eu-west-3");
    assertThat(g.bedrockEndpoint()).hasToString("https://bedrock-runtime.eu-west-3.amazonaws.com");
    assertThat(g.captureFor("anthropic")).isEqualTo(CaptureMode.OFF);
    assertThat(g.captureFor("vllm")).isEqualTo(CaptureMode.ON);
    assertThat(g.captureFor("openai")).isEqualTo(CaptureMode.METADATA);

    String[] bad = {"server", "--gateway-route-capture", "nope=on"};
    picocli.CommandLine badCli = Main.commandLine(bad, Map.of());
    ServerCommand badCmd = (ServerCommand) badCli.parseArgs(bad).subcommand().commandSpec().userObject();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> badCmd.options.toConfig())
        .isInstanceOf(dev.sightline.server.config.ConfigException.class).hasMessageContaining("'nope'");
  }
}
