/**
 * The ingest bus between receiver nodes and writer nodes (issue 18). {@link dev.sightline.bus.BatchCodec}
 * turns a processed {@link dev.sightline.model.TelemetryBatch} into the bus's versioned binary form and
 * back (docs/bus-format.md); {@link dev.sightline.bus.KafkaBatchSink} publishes batches on ingest nodes
 * and {@link dev.sightline.bus.BusWriter} stores them exactly once on writer nodes, both configured by
 * {@link dev.sightline.bus.BusConfig} (docs/scale-out.md).
 */
package dev.sightline.bus;
