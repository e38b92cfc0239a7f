package dev.sightline.store;

import java.time.Instant;

/**
 * An alert rule as the store keeps it: its id and its JSON (written by the alerts module; the store
 * checks only that it is one JSON object), with the time it was last saved.
 *
 * @param id 1 to 128 chars
 * @param json one JSON object, at most 1 MiB
 * @param updatedAt when the rule was last saved
 */
public record StoredRule(String id, String json, Instant updatedAt) {}
