package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.Usage;
import org.junit.jupiter.api.Test;

/** Anthropic's exclusive usage fields turned into disjoint buckets, and merged across a stream. */
class AnthropicUsageTest {
  static Usage of(String json) {
    return AnthropicUsage.of(FakeOpenAi.read(json.getBytes(), n -> n));
  }

  @Test
  void inputTokensExcludeBothCacheBuckets() {
    assertThat(of("{\"input_tokens\":5,\"cache_read_input_tokens\":900,\"cache_creation_input_tokens\":60,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":10,\"ephemeral_1h_input_tokens\":50},\"output_tokens\":3}"))
        .isEqualTo(Usage.reported(5, 900, 10, 50, 3, 0));
  }

  @Test
  void aCacheWriteWithoutItsSplitCountsAsFiveMinutes() {
    assertThat(of("{\"input_tokens\":5,\"cache_creation_input_tokens\":60,\"output_tokens\":3}"))
        .isEqualTo(Usage.reported(5, 0, 60, 0, 3, 0));
    assertThat(of("{\"input_tokens\":5,\"cache_creation_input_tokens\":60,"
        + "\"cache_creation\":{\"ephemeral_1h_input_tokens\":40},\"output_tokens\":3}"))
        .isEqualTo(Usage.reported(5, 0, 20, 40, 3, 0));
  }

  @Test
  void aSplitLargerThanTheWriteIsRejectedNotGuessed() {
    Usage u = of("{\"input_tokens\":5,\"cache_creation_input_tokens\":10,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":8,\"ephemeral_1h_input_tokens\":8},\"output_tokens\":3}");
    assertThat(u.hasTokens()).isFalse();
    assertThat(u.rejectedReason()).contains("exceeds");
    assertThat(of("{\"input_tokens\":-1}").rejectedReason()).contains("negative");
    assertThat(of("{}")).isEqualTo(Usage.NONE);
  }

  @Test
  void laterStreamEventsOverrideOnlyWhatTheyCarry() {
    ObjectNode merged = FakeOpenAi.JSON.createObjectNode();
    AnthropicUsage.merge(merged, FakeOpenAi.read(("{\"input_tokens\":12,\"cache_read_input_tokens\":30,"
        + "\"cache_creation_input_tokens\":4,\"cache_creation\":{\"ephemeral_5m_input_tokens\":4,"
        + "\"ephemeral_1h_input_tokens\":0},\"output_tokens\":1}").getBytes(), n -> n));
    AnthropicUsage.merge(merged, FakeOpenAi.read(("{\"input_tokens\":null,\"output_tokens\":77}").getBytes(), n -> n));
    assertThat(AnthropicUsage.of(merged)).isEqualTo(Usage.reported(12, 30, 4, 0, 77, 0));
  }
}
