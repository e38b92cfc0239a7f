package dev.sightline.store;

import java.time.Instant;

/** The LLM summary's grouping and window; null bounds mean open. */
public record SummaryQuery(GroupBy groupBy, Instant since, Instant until) {}
