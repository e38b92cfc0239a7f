package dev.sightline.store;

import java.math.BigDecimal;

/**
 * Aggregates of one group of LLM calls. {@code costUsd} sums the priced calls only;
 * {@code unpricedCalls} counts the calls whose cost is unknown. {@code errors4xx} and
 * {@code errors5xx} count the failed calls by their HTTP status class (errors without a status are
 * in {@code errors} only). {@code cacheReadTokens}, {@code cacheWriteTokens} and
 * {@code reasoningTokens} are the parts of the input and output totals in those buckets.
 * {@code outputTokensPerSecond} is the mean over the calls that have it, null when none does.
 */
public record SummaryRow(String key, long calls, long errors, double errorRate, Percentiles latencyMs,
    Percentiles ttftMs, Percentiles tpotMs, long inputTokens, long outputTokens, BigDecimal costUsd,
    long unpricedCalls, long errors4xx, long errors5xx, long cacheReadTokens, long cacheWriteTokens,
    long reasoningTokens, Double outputTokensPerSecond) {}
