package dev.sightline.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Quality figures of the LLM calls that started in the window (a score whose call is not stored
 * counts at the score's own time): per score name, and per group when {@code groupBy} is set;
 * over time in {@code step} buckets (UTC-aligned) for {@link Store#qualitySeries}. {@code name}
 * null means every score name. Only each call's latest score of a name counts.
 */
public record QualityQuery(GroupBy groupBy, String name, Instant since, Instant until, Duration step) {}
