/**
 * The ingest bus between receiver nodes and writer nodes (issue 18). {@link dev.sightline.bus.BatchCodec}
 * turns a processed {@link dev.sightline.model.TelemetryBatch} into the bus's versioned binary form and
 * back; docs/bus-format.md is the format's specification.
 */
package dev.sightline.bus;
