package dev.sightline.store;

import java.time.Duration;
import java.time.Instant;

/**
 * Quality figures of the LLM calls that started in [since, until), null bounds open (a score whose
 * call is not stored counts at the score's own time, under a null group key): per score name, and
 * per group when {@code groupBy} is set (read from the call, as in the summary);
 * over time in {@code step} buckets (UTC-aligned) for {@link Store#qualitySeries}. {@code name}
 * null means every score name. Only each call's latest score of a name counts.
 */
public record QualityQuery(GroupBy groupBy, String name, Instant since, Instant until, Duration step) {}
