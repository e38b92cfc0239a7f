package dev.sightline.store;

import java.time.Instant;

/**
 * Which alert transitions to read: of one rule and/or into one state (null: all), at or after
 * {@code since} and before {@code until} (null: unbounded), newest first, at most {@code limit}
 * (1 to 10,000; more reads 10,000).
 */
public record AlertHistoryQuery(String ruleId, String state, Instant since, Instant until, int limit) {}
