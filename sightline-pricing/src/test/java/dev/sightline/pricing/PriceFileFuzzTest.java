package dev.sightline.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the user price-file reader (docs/fuzzing.md): any bytes, read as YAML
 * and as JSON, give entries or a {@link PriceFileException} with located errors, nothing else.
 */
@Tag("fuzz-price-file")
class PriceFileFuzzTest {

  @MethodSource("seeds")
  @FuzzTest(maxDuration = "8s")
  void parse(byte[] content) {
    for (String name : new String[] {"prices.yaml", "prices.json"}) {
      try {
        UserPrices prices = PriceFile.parse(name, content);
        // an entry needs at least a name and a price, a few bytes each
        assertThat(prices.size()).isLessThanOrEqualTo(content.length);
      } catch (PriceFileException e) {
        assertThat(e.errors()).isNotEmpty().hasSizeLessThanOrEqualTo(51)
            .allSatisfy(error -> assertThat(error.message()).isNotBlank());
      }
    }
  }

  static Stream<byte[]> seeds() {
    return Stream.of(
        resource("user-prices.yaml"),
        """
        models:
          - name: m
            prices: [{input: 0.15, output: 0.6, cacheRead: 0.075, cacheWrite5m: 0.1875, reasoning: 2.4}]
          - regex: "acme-.*"
            provider: VLLM
            mode: chat
            prices:
              - effectiveFrom: 2026-01-01
                input: 1
                output: '2.5'
                tiers: [{aboveInputTokens: 200000, input: 2}]
                batch: {input: 0.5}
        deployments:
          - {name: prod-gpt, model: gpt-4o, provider: azure}
        """.getBytes(StandardCharsets.UTF_8),
        """
        {"version": 1, "models": [{"name": "x", "provider": "openai", "prices": [
          {"effectiveFrom": "2026-01-01T00:00:00Z", "input": "1e-1", "output": 2,
           "priority": {"input": 3, "tiers": [{"aboveInputTokens": 10, "input": 4}]}, "flex": {"output": 1}}]}]}
        """.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] resource(String name) {
    try (InputStream in = PriceFileFuzzTest.class.getResourceAsStream(name)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
