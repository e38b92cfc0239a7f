package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Content;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Capture mode "masked": the prompt is recorded with its personal data masked in the gateway, the upstream gets it as sent. */
class MaskedCaptureTest {
  static FakeOpenAi upstream;

  @BeforeAll
  static void start() {
    upstream = new FakeOpenAi();
  }

  @AfterAll
  static void stop() {
    if (upstream != null) { // null when the set-up was skipped (no fixtures)
      upstream.close();
    }
  }

  static final String CHAT = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":"
      + "\"Refund jane.doe@example.com on card 4111 1111 1111 1111, please\"}]}";

  @Test
  void aPromptWithAnEmailAndACardIsRecordedMaskedAndForwardedUntouched() {
    try (GatewayHarness gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.MASKED))) {
      assertThat(gateway.post(gateway.openaiBase() + "/chat/completions", CHAT).statusCode()).isEqualTo(200);
      assertThat(new String(upstream.lastBody, StandardCharsets.UTF_8)).isEqualTo(CHAT);
      Content content = gateway.ingest.single().llm().content();
      assertThat(content.inputMessagesJson()).isEqualTo("[{\"role\":\"user\",\"parts\":[{\"type\":\"text\","
          + "\"content\":\"Refund [email] on card [card], please\"}]}]");
      assertThat(content.outputMessagesJson()).contains("Hello there.");
    }
  }

  @Test
  void onlyTheRouteSetToMaskedMasks() {
    GatewayConfig config = GatewayHarness.configFor(upstream, CaptureMode.ON).withRouteCapture("vllm", CaptureMode.MASKED);
    try (GatewayHarness gateway = new GatewayHarness(config)) {
      gateway.post(gateway.base() + "/gateway/vllm/v1/chat/completions", CHAT);
      assertThat(gateway.ingest.single().llm().content().inputMessagesJson()).contains("[email]", "[card]");
      gateway.ingest.reset();
      gateway.post(gateway.openaiBase() + "/chat/completions", CHAT);
      assertThat(gateway.ingest.single().llm().content().inputMessagesJson())
          .contains("jane.doe@example.com", "4111 1111 1111 1111");
    }
  }
}
