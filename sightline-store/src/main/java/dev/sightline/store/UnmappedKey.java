package dev.sightline.store;

import java.time.Instant;

/** An attribute key no mapping claimed: on how many spans it was seen, and when last. */
public record UnmappedKey(String key, long spans, Instant lastSeen) {}
