package dev.sightline.store;

/**
 * What a re-pricing run did.
 *
 * @param matched calls in the window (and of the model, if one was named)
 * @param repriced calls examined and priced again (equals {@code matched} unless stopped early, or
 *     unless other nodes wrote calls into the window during the run: a chunk prices what it finds)
 * @param changed calls whose stored cost changed (and was written)
 * @param hoursRolledUp hours whose summary rollups were rebuilt because a rolled-up cost changed
 * @param complete false when the run was stopped before the end; running it again finishes it
 */
public record RepriceResult(long matched, long repriced, long changed, long hoursRolledUp, boolean complete) {}
