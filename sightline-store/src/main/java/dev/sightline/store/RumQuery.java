package dev.sightline.store;

import java.time.Instant;

/** The window of the real-user summary: browser spans that start in [since, until); null bounds are open. */
public record RumQuery(Instant since, Instant until) {}
