package dev.sightline.receivers;

import dev.sightline.model.TelemetryBatch;

/**
 * One request after decoding: the usable records, how many were rejected, and the message for
 * the answer's partial_success (null when there is nothing to say).
 */
record Decoded(Signal signal, TelemetryBatch batch, int rejected, String message) {}
