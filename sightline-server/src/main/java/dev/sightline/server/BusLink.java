package dev.sightline.server;

import dev.sightline.pipeline.BatchSink;
import dev.sightline.server.config.ClusterConfig;

/** This process's end of the Kafka bus: the ingest role's publisher and the writer role's consumer. */
final class BusLink implements AutoCloseable {
  private final ClusterConfig cluster;

  BusLink(ClusterConfig cluster) {
    this.cluster = cluster;
  }

  /** The ingest role's sink: every batch published, acknowledged once Kafka holds it. */
  BatchSink publisher() {
    throw new StartupException("--bus " + cluster.busServers() + ": the Kafka bus is not available in this build", null);
  }

  /** Starts the writer role's consumer into {@code sink}'s stores when this process consumes; else nothing. */
  void startWriter(StoreSink sink) {
    if (cluster.consumes()) {
      throw new StartupException("--bus " + cluster.busServers() + ": the Kafka bus is not available in this build",
          null);
    }
  }

  @Override
  public void close() {}
}
