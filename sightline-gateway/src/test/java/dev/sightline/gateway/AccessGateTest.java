package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import io.netty.util.AsciiString;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate's decisions on their own: failing checks refuse, keys are masked, Sightline keys never go upstream. */
class AccessGateTest {
  private static final Route OPENAI = new Route("openai", "openai", URI.create("http://127.0.0.1:1"), null,
      Duration.ofSeconds(1), Route.Api.OPENAI, CaptureMode.METADATA, null);
  private static final RequestHeaders WITH_KEY = RequestHeaders.of(HttpMethod.POST, "/v1/chat/completions",
      "authorization", "Bearer sl_vk_AbCdEfGhIjKlMnOpQrStUvWxYz012345");

  @Test
  void aCheckThatThrowsOrAnswersNothingRefusesAndIsCounted() {
    RefusalCounts counts = new RefusalCounts();
    GatewayAccess throwing = (h, p) -> {
      throw new IllegalStateException("store closed " + h.apply("authorization"));
    };
    GatewayAccess.Decision d = new AccessGate(throwing, OPENAI, counts).decide(WITH_KEY);
    assertThat(d.allowed()).isFalse();
    assertThat(d.error()).contains("could not check").doesNotContain("sl_vk_");
    assertThat(new AccessGate((h, p) -> null, OPENAI, counts).decide(WITH_KEY).allowed()).isFalse();
    assertThat(counts.snapshot()).isEqualTo(Map.of("openai", 2L));
  }

  @Test
  void theRefusalMasksEveryKeyTheRequestCarried() {
    RequestHeaders h = RequestHeaders.of(HttpMethod.POST, "/v1/chat/completions", "authorization",
        "Bearer sk-own-provider-key-123", "x-sightline-key", "my-ingest-secret");
    AccessGate gate = new AccessGate(GatewayAccess.OPEN, OPENAI, new RefusalCounts());
    AggregatedHttpResponse r = gate.refusal(GatewayAccess.Decision.refuse(
        "key sk-own-provider-key-123 with my-ingest-secret and sl_read_Zz9 refused"), h).aggregate().join();
    assertThat(r.status().code()).isEqualTo(401);
    assertThat(r.contentUtf8()).isEqualTo("{\"error\":{\"message\":\"key [redacted] with [redacted] and [redacted]"
        + " refused\",\"type\":\"invalid_request_error\",\"code\":\"sightline_unauthorized\"}}");
  }

  @Test
  void credentialsCarryingASightlineKeyAreWithheldEvenWhenTheCallersOwnAreForwarded() {
    AsciiString auth = AsciiString.of("authorization");
    assertThat(AccessGate.withheld(auth, "Bearer sl_vk_abc", null)).isTrue();
    assertThat(AccessGate.withheld(AsciiString.of("x-api-key"), "sl_ingest_abc", null)).isTrue();
    assertThat(AccessGate.withheld(auth, "Bearer sk-real", null)).isFalse();
    assertThat(AccessGate.withheld(auth, "Bearer sk-real", "sk-held")).isTrue();
    assertThat(AccessGate.withheld(AsciiString.of("anthropic-version"), "2023-06-01", "sk-held")).isFalse();
    assertThat(GatewayAccess.Decision.allow("p", "sk-held").toString()).doesNotContain("sk-held");
  }
}
