package dev.sightline.store;

import java.time.Instant;

/**
 * A model seen without a price: its calls (response model, else request model), their tokens, and
 * when the first and last of them started.
 */
public record UnpricedModel(String provider, String model, long calls, long inputTokens, long outputTokens,
    Instant firstSeen, Instant lastSeen) {}
