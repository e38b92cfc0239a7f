package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The tier the provider says served a call (OpenAI's {@code service_tier}) is recorded on the call,
 * streamed or not, so that it is priced at that tier's prices; a call that names none has none.
 */
class ServiceTierTest extends OpenAiGatewayTest {
  private String tierOf(String body) {
    HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", body);
    assertThat(r.statusCode()).isEqualTo(200);
    return gateway.ingest.single().llm().serviceTier();
  }

  @Test
  void theServedTierIsRecordedStreamedOrNot() {
    assertThat(tierOf("{\"model\":\"flex-tier\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .isEqualTo("flex");
    gateway.ingest.reset();
    assertThat(tierOf("{\"model\":\"flex-tier\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
        .isEqualTo("flex");
    gateway.ingest.reset();
    assertThat(tierOf("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).isNull();
  }
}
