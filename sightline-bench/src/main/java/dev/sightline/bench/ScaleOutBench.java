package dev.sightline.bench;

import dev.sightline.bus.BusConfig;
import dev.sightline.bus.BusWriter;
import dev.sightline.bus.EmbeddedKafka;
import dev.sightline.bus.KafkaBatchSink;
import dev.sightline.bus.RealisticBatch;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.BusPosition;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import dev.sightline.store.postgres.PostgresServer;
import dev.sightline.store.postgres.PostgresStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The scale-out path on one machine (docs/scale-out.md): realistic 510-span batches published through
 * the ingest role's {@link KafkaBatchSink} (acks=all) to an in-process one-broker Kafka, then stored by
 * 1 and by 2 writers ({@link BusWriter}s of one consumer group), each run into a fresh store: PostgreSQL
 * (each writer with its own {@link PostgresStore} and connection pool, as two writer nodes would have)
 * and DuckDB (one file, so its writers share one store in one process). Spans a second from the first
 * commit until every message is stored (the consumer group's join left out), median of the runs.
 *
 * <p>{@code bench.sh scale-out [--batches 800] [--writers 1,2] [--runs 3] [--store both|postgres|duckdb]}
 */
public final class ScaleOutBench {
  private ScaleOutBench() {}

  public static void main(String[] args) throws Exception {
    int batches = 800;
    List<Integer> writerCounts = List.of(1, 2);
    int runs = 3;
    String stores = "both";
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--batches" -> batches = Integer.parseInt(args[++i]);
        case "--writers" -> writerCounts = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--store" -> stores = args[++i];
        default -> throw new IllegalArgumentException("unknown option " + args[i]
            + "; use --batches N --writers 1,2 --runs N --store both|postgres|duckdb");
      }
    }
    TelemetryBatch batch = RealisticBatch.processed(RealisticBatch.request(170));
    long spans = (long) batches * batch.spans().size();
    Report report = new Report("scale-out");
    report.line(String.format("%d batches of %d spans (%,d spans) published, then stored by each writer count",
        batches, batch.spans().size(), spans));
    try (EmbeddedKafka kafka = EmbeddedKafka.start();
        PostgresServer pg = stores.equals("duckdb") ? null : PostgresServer.start()) {
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
      double publishS = (System.nanoTime() - t0) / 1e9;
      report.line(String.format("published and acknowledged (acks=all, one broker): %,.0f spans/s", spans / publishS));
      long messages = messages(kafka, config);
      int group = 0;
      for (String engine : stores.equals("both") ? List.of("postgres", "duckdb") : List.of(stores)) {
        for (int writers : writerCounts) {
          List<Double> rates = new ArrayList<>();
          for (int run = 0; run < runs; run++) {
            BusConfig g = config.withGroup("bench-" + (++group));
            double s = engine.equals("postgres") ? storePostgres(pg, g, writers, messages, group)
                : storeDuckDb(g, writers, messages);
            rates.add(spans / s);
          }
          rates.sort(Double::compare);
          double median = rates.get(rates.size() / 2);
          report.line(String.format("%-8s %d writer(s): %,.0f spans/s median (%,.0f … %,.0f over %d runs)", engine,
              writers, median, rates.get(0), rates.get(rates.size() - 1), runs));
        }
      }
    }
    report.save();
  }

  private static double storePostgres(PostgresServer pg, BusConfig config, int writers, long messages, int n)
      throws Exception {
    String db = "bench_" + n;
    try (var c = DriverManager.getConnection(pg.jdbcUrl()); var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + db);
    }
    String url = pg.jdbcUrl().replace("/postgres?", "/" + db + "?");
    List<Store> opened = new ArrayList<>();
    try {
      for (int w = 0; w < writers; w++) {
        opened.add(PostgresStore.open(url)); // one store, pool and writer per node
      }
      return storeWith(opened, config, messages);
    } finally {
      opened.forEach(Store::close);
    }
  }

  private static double storeDuckDb(BusConfig config, int writers, long messages) throws Exception {
    Path dir = Files.createTempDirectory("sightline-scale-out-");
    try (DuckDbStore store = DuckDbStore.open(dir)) {
      List<Store> same = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        same.add(store); // a DuckDB file belongs to one process: its writers share the store
      }
      return storeWith(same, config, messages);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Seconds a message took to store, times the messages, from the writers' first commit (their
   * consumer group formed, the first poll stored) until the group's stored positions cover every
   * message: the group's join (a few seconds) is left out, as it is paid once per start.
   */
  private static double storeWith(List<Store> stores, BusConfig config, long messages) throws InterruptedException {
    List<BusWriter> writers = new ArrayList<>();
    for (int w = 0; w < stores.size(); w++) {
      writers.add(new BusWriter(config.withClientId("writer-" + w), stores.get(w)).start());
    }
    try {
      long first = 0;
      long t0 = 0;
      while (true) {
        long stored = stores.get(0).busPositions(config.group()).stream().mapToLong(BusPosition::offset).sum();
        if (first == 0 && stored > 0) {
          first = stored;
          t0 = System.nanoTime();
        }
        if (stored >= messages) {
          double s = (System.nanoTime() - t0) / 1e9;
          return s * messages / Math.max(1, messages - first);
        }
        Thread.sleep(10);
      }
    } finally {
      writers.forEach(BusWriter::close);
    }
  }

  private static long messages(EmbeddedKafka kafka, BusConfig config) {
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(Map.of("bootstrap.servers", kafka.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> parts = new ArrayList<>();
      c.partitionsFor(config.topic()).forEach(p -> parts.add(new TopicPartition(p.topic(), p.partition())));
      return c.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
