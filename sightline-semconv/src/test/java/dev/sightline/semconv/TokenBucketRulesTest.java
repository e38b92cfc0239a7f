package dev.sightline.semconv;

import static dev.sightline.semconv.Spans.chat;
import static dev.sightline.semconv.Spans.normalize;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE.md §4: reported counts become disjoint buckets; never a negative one. */
class TokenBucketRulesTest {
  private static Usage usage(Object... kv) {
    return normalize(chat(kv)).llm().usage();
  }

  private static void assertBuckets(Usage u, long uncached, long read, long w5m, long w1h, long text, long reasoning) {
    assertThat(new long[] {u.inputUncached(), u.inputCacheRead(), u.inputCacheWrite5m(), u.inputCacheWrite1h(),
        u.outputText(), u.outputReasoning()}).containsExactly(uncached, read, w5m, w1h, text, reasoning);
  }

  @Test
  void noCountsMeansNoUsage() {
    assertThat(usage("gen_ai.request.model", "gpt-4o")).isEqualTo(Usage.NONE);
  }

  @Test
  void anyCountMakesItReported() {
    Usage u = usage("gen_ai.usage.output_tokens", 0L);
    assertThat(u.source()).isEqualTo(UsageSource.REPORTED);
    assertThat(u.totalTokens()).isZero();
  }

  @Test
  void semconvInclusive_cacheAndReasoningComeOutOfTheTotals() {
    Usage u = usage("gen_ai.provider.name", "openai", "gen_ai.usage.input_tokens", 1000L,
        "gen_ai.usage.cache_read.input_tokens", 600L, "gen_ai.usage.cache_creation.input_tokens", 100L,
        "gen_ai.usage.output_tokens", 300L, "gen_ai.usage.reasoning.output_tokens", 200L);
    assertBuckets(u, 300, 600, 100, 0, 100, 200);
    assertThat(u.inputTokens()).isEqualTo(1000);
    assertThat(u.outputTokens()).isEqualTo(300);
    assertThat(u.inferredExclusive()).isFalse();
  }

  @Test
  void semconvInferredExclusive_whenCacheExceedsInput() {
    // An Anthropic instrumentation passing Anthropic's exclusive input_tokens through gen_ai.usage.input_tokens.
    Usage u = usage("gen_ai.provider.name", "anthropic", "gen_ai.usage.input_tokens", 50L,
        "gen_ai.usage.cache_read.input_tokens", 2000L, "gen_ai.usage.output_tokens", 10L);
    assertBuckets(u, 50, 2000, 0, 0, 10, 0);
    assertThat(u.inferredExclusive()).isTrue();
    assertThat(u.inputTokens()).isEqualTo(2050);
  }

  @Test
  void semconvInferredExclusive_whenReasoningExceedsOutput() {
    Usage u = usage("gen_ai.usage.input_tokens", 10L, "gen_ai.usage.output_tokens", 38L,
        "gen_ai.usage.reasoning.output_tokens", 121L);
    assertBuckets(u, 10, 0, 0, 0, 38, 121);
    assertThat(u.inferredExclusive()).isTrue();
  }

  @Test
  void cacheEqualToInputIsStillInclusive() {
    Usage u = usage("gen_ai.usage.input_tokens", 500L, "gen_ai.usage.cache_read.input_tokens", 500L);
    assertBuckets(u, 0, 500, 0, 0, 0, 0);
    assertThat(u.inferredExclusive()).isFalse();
  }

  @Test
  void openAiStyleOpenInference_inclusive() {
    Usage u = usage("llm.token_count.prompt", 162L, "llm.token_count.prompt_details.cache_read", 100L,
        "llm.token_count.completion", 287L, "llm.token_count.completion_details.reasoning", 256L);
    assertBuckets(u, 62, 100, 0, 0, 31, 256);
  }

  @Test
  void openAiStyle_negativeBucketRejectsTheUsage() {
    Usage u = usage("llm.token_count.prompt", 10L, "llm.token_count.prompt_details.cache_read", 100L,
        "llm.token_count.completion", 5L);
    assertThat(u.rejectedReason()).contains("cache tokens (100) exceed input tokens (10)");
    assertThat(u.totalTokens()).isZero();
    Usage r = usage("llm.token_count.completion", 5L, "llm.token_count.completion_details.reasoning", 9L);
    assertThat(r.rejectedReason()).contains("reasoning tokens (9) exceed output tokens (5)");
  }

  @Test
  void negativeCountRejects() {
    Usage u = usage("gen_ai.usage.input_tokens", -5L, "gen_ai.usage.output_tokens", 3L);
    assertThat(u.rejectedReason()).contains("negative token count in gen_ai.usage.input_tokens");
  }

  @Test
  void anthropicNative_exclusive() {
    Usage u = usage("gen_ai.system", "anthropic", "gen_ai.usage.prompt_tokens", 100L,
        "gen_ai.usage.cache_read_input_tokens", 50L, "gen_ai.usage.cache_creation_input_tokens", 20L,
        "gen_ai.usage.completion_tokens", 7L);
    assertBuckets(u, 100, 50, 20, 0, 7, 0);
    assertThat(u.inputTokens()).isEqualTo(170);
    assertThat(u.inferredExclusive()).isFalse();
  }

  @Test
  void sameNamesFromAnotherProviderAreInclusive() {
    Usage u = usage("gen_ai.system", "openai", "gen_ai.usage.prompt_tokens", 100L,
        "gen_ai.usage.cache_read_input_tokens", 50L);
    assertBuckets(u, 50, 50, 0, 0, 0, 0);
  }

  @Test
  void cacheWriteTtl_unknownIs5m_1hWhenTheSourceSaysSo() {
    assertBuckets(usage("gen_ai.usage.input_tokens", 100L, "gen_ai.usage.cache_creation.input_tokens", 40L),
        60, 0, 40, 0, 0, 0);
    assertBuckets(usage("gen_ai.usage.input_tokens", 100L, "gen_ai.usage.cache_creation.input_tokens", 40L,
        "gen_ai.usage.cache_creation.ephemeral_1h_input_tokens", 30L), 60, 0, 10, 30, 0, 0);
    assertBuckets(usage("gen_ai.usage.input_tokens", 100L,
        "gen_ai.usage.cache_creation.ephemeral_5m_input_tokens", 15L,
        "gen_ai.usage.cache_creation.ephemeral_1h_input_tokens", 25L), 60, 0, 15, 25, 0, 0);
    assertThat(usage("gen_ai.usage.input_tokens", 100L, "gen_ai.usage.cache_creation.input_tokens", 10L,
        "gen_ai.usage.cache_creation.ephemeral_1h_input_tokens", 30L).rejectedReason()).contains("1h");
  }

  @Test
  void precedence_firstKeyWins() {
    assertBuckets(usage("gen_ai.usage.input_tokens", 10L, "gen_ai.usage.prompt_tokens", 20L,
        "llm.token_count.prompt", 30L, "llm.usage.prompt_tokens", 40L), 10, 0, 0, 0, 0, 0);
    assertBuckets(usage("gen_ai.usage.prompt_tokens", 20L, "llm.token_count.prompt", 30L), 20, 0, 0, 0, 0, 0);
    assertBuckets(usage("llm.token_count.prompt", 30L, "llm.usage.prompt_tokens", 40L), 30, 0, 0, 0, 0, 0);
    assertBuckets(usage("gen_ai.usage.output_tokens", 5L, "gen_ai.usage.completion_tokens", 6L,
        "llm.token_count.completion", 7L), 0, 0, 0, 0, 5, 0);
    assertBuckets(usage("gen_ai.usage.input_tokens", 100L, "gen_ai.usage.cache_read.input_tokens", 1L,
        "gen_ai.usage.cache_read_input_tokens", 2L, "llm.token_count.prompt_details.cache_read", 3L),
        99, 1, 0, 0, 0, 0);
    assertBuckets(usage("gen_ai.usage.input_tokens", 100L, "gen_ai.usage.cache_write.input_tokens", 4L,
        "gen_ai.usage.cache_creation.input_tokens", 5L), 96, 0, 4, 0, 0, 0);
    assertBuckets(usage("gen_ai.usage.output_tokens", 100L, "gen_ai.usage.reasoning.output_tokens", 1L,
        "gen_ai.usage.reasoning_tokens", 2L, "llm.usage.reasoning_tokens", 3L), 0, 0, 0, 0, 99, 1);
  }

  @Test
  void vercelUsageNames() {
    assertBuckets(usage("ai.usage.promptTokens", 14L, "ai.usage.completionTokens", 20L), 14, 0, 0, 0, 20, 0);
    assertBuckets(usage("ai.usage.inputTokens", 30L, "ai.usage.outputTokens", 9L, "ai.usage.cachedInputTokens", 10L,
        "ai.usage.reasoningTokens", 4L), 20, 10, 0, 0, 5, 4);
  }

  @Test
  void countsAsStringsAndIntegralDoubles() {
    assertBuckets(usage("gen_ai.usage.input_tokens", "77", "gen_ai.usage.output_tokens", 86.0), 77, 0, 0, 0, 86, 0);
    // Not a number: the next source in the precedence order is used.
    assertBuckets(usage("gen_ai.usage.input_tokens", "lots", "gen_ai.usage.prompt_tokens", 3L), 3, 0, 0, 0, 0, 0);
  }

  @Test
  void implausibleCountsReject() {
    assertThat(usage("gen_ai.usage.input_tokens", Long.MAX_VALUE).rejectedReason()).contains("implausible");
    assertThat(usage("gen_ai.usage.input_tokens", "99999999999999999999999").source()).isEqualTo(UsageSource.NONE);
  }
}
