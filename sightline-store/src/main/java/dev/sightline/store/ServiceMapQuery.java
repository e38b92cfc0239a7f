package dev.sightline.store;

import java.time.Instant;

/** The window of a service map: spans and LLM calls that start in [since, until); null bounds are open. */
public record ServiceMapQuery(Instant since, Instant until) {}
