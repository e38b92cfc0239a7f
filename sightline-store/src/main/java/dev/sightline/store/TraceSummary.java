package dev.sightline.store;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One row of the trace list. {@code rootName} and {@code service} come from the root span (the
 * earliest span while the root has not arrived); {@code costUsd} sums the priced calls, null when
 * none is priced.
 */
public record TraceSummary(String traceId, String rootName, String service, Instant startTime, double durationMs,
    int spanCount, int llmCalls, long inputTokens, long outputTokens, BigDecimal costUsd, boolean error) {}
