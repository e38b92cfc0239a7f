package dev.sightline.server;

import dev.sightline.bus.BusConfig;
import dev.sightline.bus.BusWriter;
import dev.sightline.bus.KafkaBatchSink;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.BatchSink;
import dev.sightline.server.config.ClusterConfig;
import dev.sightline.server.projects.ProjectStores;
import dev.sightline.store.BusPosition;
import dev.sightline.store.BusRead;
import dev.sightline.store.BusTarget;
import java.util.List;

/**
 * This process's end of the Kafka bus (docs/scale-out.md): the ingest role's publisher, which the
 * pipeline writes to instead of the store, and the writer role's consumer into the project stores.
 */
final class BusLink implements AutoCloseable {
  private final ClusterConfig cluster;
  private final BusConfig config;
  private KafkaBatchSink publisher;
  private BusWriter writer;

  BusLink(ClusterConfig cluster) {
    this.cluster = cluster;
    this.config = cluster.busServers() == null ? null
        : BusConfig.of(cluster.busServers()).withTopic(cluster.busTopic());
  }

  /** The ingest role's sink: every batch published, acknowledged once Kafka holds it (acks=all). */
  synchronized BatchSink publisher() {
    if (publisher == null) {
      publisher = new KafkaBatchSink(config);
    }
    return publisher;
  }

  /**
   * Starts the writer role's consumer into the project stores when this process consumes the bus;
   * after each commit the sink's followers (the evaluators) hear what was stored.
   */
  synchronized void startWriter(ProjectStores stores, StoreSink sink) {
    if (!cluster.consumes() || writer != null) {
      return;
    }
    BusTarget target = new BusTarget() {
      @Override
      public void write(List<TelemetryBatch> batches, BusRead read) {
        stores.write(batches, read);
        if (!batches.isEmpty()) {
          sink.stored(batches);
        }
      }

      @Override
      public List<BusPosition> busPositions(String group) {
        return stores.busPositions(group);
      }
    };
    writer = new BusWriter(config, target).start();
  }

  /** The writer's counts for /metrics, or null where this process does not consume. */
  synchronized BusWriter.Counts writerCounts() {
    return writer == null ? null : writer.counts();
  }

  /** Stops consuming (the write in progress commits or fails whole), then flushes and closes the publisher. */
  @Override
  public synchronized void close() {
    if (writer != null) {
      writer.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }
}
