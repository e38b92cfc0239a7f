package dev.sightline.store;

import java.math.BigDecimal;

/**
 * Aggregates of one group of LLM calls. {@code costUsd} sums the priced calls only;
 * {@code unpricedCalls} counts the calls whose cost is unknown.
 */
public record SummaryRow(String key, long calls, long errors, double errorRate, Percentiles latencyMs,
    Percentiles ttftMs, Percentiles tpotMs, long inputTokens, long outputTokens, BigDecimal costUsd,
    long unpricedCalls) {}
