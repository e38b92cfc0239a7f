package dev.sightline.bus;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.BusPosition;
import dev.sightline.store.DuckDbStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Spans a second through the bus on this machine: published by a {@link KafkaBatchSink} (group
 * commits of 8 realistic 510-span batches), then stored by {@code writers} {@link BusWriter}s
 * sharing one DuckDB file. Not a test (timing is asserted nowhere): run its main with the test
 * classpath, e.g. {@code java -cp "sightline-bus/target/test-classes:sightline-bus/target/classes:$(cat cp.txt)"
 * dev.sightline.bus.BusThroughput [batches] [writers]}.
 */
public final class BusThroughput {
  private BusThroughput() {}

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 400;
    int writers = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    TelemetryBatch batch = RealisticBatch.processed(RealisticBatch.request(170));
    Path dir = Files.createTempDirectory("sightline-bus-throughput-");
    try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
      kafka.createTopic("sightline.batches", 4);
      kafka.createTopic("sightline.batches.dead", 1);
      BusConfig config = BusConfig.of(kafka.bootstrapServers());
      long t0 = System.nanoTime();
      try (KafkaBatchSink sink = new KafkaBatchSink(config)) {
        for (int i = 0; i < batches; i += 8) {
          List<TelemetryBatch> commit = new ArrayList<>();
          for (int j = i; j < Math.min(batches, i + 8); j++) {
            sink.prepare(batch);
            commit.add(batch);
          }
          sink.write(commit);
        }
      }
      double publish = (System.nanoTime() - t0) / 1e9;
      long spans = (long) batches * batch.spans().size();
      System.out.printf("published %d spans in %.2f s: %.0f spans/s acknowledged (acks=all, one broker)%n",
          spans, publish, spans / publish);
      Map<TopicPartition, Long> end;
      try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers",
          kafka.bootstrapServers()), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> parts = new ArrayList<>();
        c.partitionsFor(config.topic()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
        end = c.endOffsets(parts);
      }
      long messages = end.values().stream().mapToLong(Long::longValue).sum();
      try (DuckDbStore store = DuckDbStore.open(dir)) {
        List<BusWriter> started = new ArrayList<>();
        long t1 = System.nanoTime();
        for (int w = 0; w < writers; w++) {
          started.add(new BusWriter(config.withClientId("writer-" + w), store).start());
        }
        while (store.busPositions(config.group()).stream().mapToLong(BusPosition::offset).sum() < messages) {
          Thread.sleep(20);
        }
        double write = (System.nanoTime() - t1) / 1e9;
        started.forEach(BusWriter::close);
        System.out.printf("%d writer(s) stored %d spans (%d messages) in %.2f s: %.0f spans/s; stored %d%n",
            writers, spans, messages, write, spans / write, store.spanCount());
      }
    }
  }
}
