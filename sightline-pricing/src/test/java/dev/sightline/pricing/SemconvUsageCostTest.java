package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Cost;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import org.junit.jupiter.api.Test;

/**
 * Calls reported through OTel GenAI attributes, with their usage built exactly as the normalizer
 * (sightline-semconv's UsageBuckets) builds it: {@code gen_ai.usage.input_tokens} includes cache
 * reads and writes and {@code output_tokens} includes reasoning; a reporter whose cache (or
 * reasoning) count is larger than the count that should hold it is read as exclusive and marked
 * {@code inferredExclusive}; the legacy {@code prompt_tokens} with Anthropic's own cache attribute
 * names from provider {@code anthropic} is exclusive, as Anthropic reports it.
 */
class SemconvUsageCostTest {

  private static Usage buckets(long uncached, long cacheRead, long write5m, long text, long reasoning, boolean inferred) {
    return new Usage(uncached, cacheRead, write5m, 0, text, reasoning, UsageSource.REPORTED, inferred, null);
  }

  @Test
  void inclusiveReporter() {
    // gen_ai.usage.input_tokens 1,500, cache_read.input_tokens 1,000, output_tokens 200
    // → uncached 1500 − 1000 = 500, cache read 1000, text 200
    // gpt-4o: input 2.5e-6, cache read 1.25e-6, output 1e-5
    Cost cost = price("openai", "gpt-4o", buckets(500, 1000, 0, 200, 0, false));

    // 500 × $2.5e-6 = $0.00125; 1000 × $1.25e-6 = $0.00125; 200 × $1e-5 = $0.002 → $0.0045
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.00125");
    assertThat(cost.cacheReadUsd()).isEqualByComparingTo("0.00125");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0045");
  }

  @Test
  void inclusiveReporterWithCacheReadAndWrite() {
    // gen_ai.usage.input_tokens 12,000, cache_read 8,000, cache_creation 3,000 (5m), output 700
    // → uncached 12000 − 8000 − 3000 = 1000
    // claude-sonnet-4-5: input 3e-6, cache read 3e-7, write 5m 3.75e-6, output 1.5e-5
    Cost cost = price("anthropic", "claude-sonnet-4-5", buckets(1000, 8000, 3000, 700, 0, false));

    // 1000 × $3e-6 = $0.003; 8000 × $3e-7 = $0.0024; 3000 × $3.75e-6 = $0.01125; 700 × $1.5e-5 = $0.0105
    assertThat(cost.cacheWriteUsd()).isEqualByComparingTo("0.01125");
    // total $0.02715
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.02715");
  }

  @Test
  void inferredExclusiveReporterIsChargedTheSameAsTheInclusiveOne() {
    // an instrumentation that copies Anthropic's own input_tokens (1,000, without cache) into
    // gen_ai.usage.input_tokens, with cache_read 8,000 and cache_creation 3,000: 11,000 cache tokens
    // > 1,000 input tokens, so the normalizer reads input as exclusive and marks the usage
    // → uncached 1000, the same buckets as the inclusive report above
    Usage usage = buckets(1000, 8000, 3000, 700, 0, true);
    Cost cost = price("anthropic", "claude-sonnet-4-5", usage);

    // 1000 × $3e-6 + 8000 × $3e-7 + 3000 × $3.75e-6 + 700 × $1.5e-5 = $0.02715, as above
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.02715");
    assertThat(usage.inferredExclusive()).isTrue();
  }

  @Test
  void exclusiveAnthropicReporter() {
    // gen_ai.usage.prompt_tokens 4,000 with gen_ai.usage.cache_read_input_tokens 2,000 and
    // cache_creation_input_tokens 1,000 from provider anthropic: exclusive, uncached stays 4000
    // (read as inclusive it would have been 1000, and cost $0.009 less)
    Cost cost = price("anthropic", "claude-sonnet-4-5", buckets(4000, 2000, 1000, 500, 0, false));

    // 4000 × $3e-6 = $0.012; 2000 × $3e-7 = $0.0006; 1000 × $3.75e-6 = $0.00375; 500 × $1.5e-5 = $0.0075
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.012");
    // total $0.02385
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.02385");
  }

  @Test
  void inclusiveReasoning() {
    // gen_ai.usage.output_tokens 500 with reasoning.output_tokens 400 → text 100, reasoning 400
    // o4-mini: input 1.1e-6, output 4.4e-6; input_tokens 1,000, no cache
    Cost cost = price("openai", "o4-mini", buckets(1000, 0, 0, 100, 400, false));

    // 1000 × $1.1e-6 = $0.0011; 100 × $4.4e-6 = $0.00044; 400 × $4.4e-6 = $0.00176 → $0.0033
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.00044");
    assertThat(cost.reasoningUsd()).isEqualByComparingTo("0.00176");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0033");
  }

  @Test
  void inferredExclusiveReasoning() {
    // output_tokens 100 with reasoning 400: reasoning > output, so output is read as exclusive
    // → text 100, reasoning 400: the same bill as the inclusive report above
    Cost cost = price("openai", "o4-mini", buckets(1000, 0, 0, 100, 400, true));

    // 1000 × $1.1e-6 + 100 × $4.4e-6 + 400 × $4.4e-6 = $0.0033
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0033");
  }
}
