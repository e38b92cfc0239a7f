package dev.sightline.bus;

import static dev.sightline.bus.BusTraffic.assertStoredOnce;
import static dev.sightline.bus.BusTraffic.await;
import static dev.sightline.bus.BusTraffic.batch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.BusPosition;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest bus end to end on a real (in-process, one-node KRaft) Kafka and real DuckDB files:
 * {@link KafkaBatchSink} on the ingest side, {@link BusWriter} on the writer side, and every record
 * stored exactly once through writer deaths, failed store writes, rebalances, bad messages and
 * batches larger than a message.
 */
class BusExactlyOnceTest {
  private static EmbeddedKafka kafka;

  @TempDir Path dir;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void everyRecordArrivesOnceInThePartitionOfItsTrace() throws Exception {
    BusConfig config = topic("once", 4);
    List<TelemetryBatch> sent = new ArrayList<>();
    try (DuckDbStore store = DuckDbStore.open(dir); KafkaBatchSink sink = new KafkaBatchSink(config);
        BusWriter writer = new BusWriter(config, store).start()) {
      for (int w = 0; w < 5; w++) {
        TelemetryBatch a = batch(w * 100, 20, 3, 0);
        TelemetryBatch b = batch(w * 100 + 50, 20, 3, 0);
        sink.prepare(a); // as the pipeline does, on a processor thread
        sink.write(List.of(a, b)); // returns once Kafka has every message
        sent.add(a);
        sent.add(b);
      }
      awaitCaughtUp(store, config);
      assertStoredOnce(store, sent);
      assertThat(writer.counts().batches()).isEqualTo(writer.counts().messages());
      assertThat(writer.counts().deadLettered()).isZero();
    }
    // on the topic: every record in the partition its trace id hashes to, keyed by one of its trace ids
    int messages = 0;
    for (ConsumerRecord<byte[], byte[]> r : readAll(config.topic())) {
      TelemetryBatch b = BatchCodec.decode(r.value());
      Set<String> traces = new HashSet<>();
      b.spans().forEach(s -> traces.add(s.traceId()));
      b.logs().forEach(l -> traces.add(l.traceId()));
      b.scores().forEach(s -> traces.add(s.traceId()));
      for (String t : traces) {
        assertThat(PartitionedBatch.partitionOf(t, 4)).as("partition of %s", t).isEqualTo(r.partition());
      }
      assertThat(traces).contains(new String(r.key(), StandardCharsets.UTF_8));
      messages++;
    }
    assertThat(messages).as("one message per partition a write's traces reach").isBetween(5, 40);
  }

  @Test
  void aWriterThatDiesBeforeItsKafkaCommitIsResumedFromTheStoreWithoutDuplicates() throws Exception {
    BusConfig config = topic("restart", 3);
    List<TelemetryBatch> sent = new ArrayList<>();
    try (DuckDbStore store = DuckDbStore.open(dir); KafkaBatchSink sink = new KafkaBatchSink(config)) {
      for (int i = 0; i < 6; i++) {
        sent.add(batch(i * 100, 10, 2, 0));
        sink.write(List.of(sent.getLast()));
      }
      BusWriter first = new BusWriter(config, store);
      first.skipKafkaCommits(); // it dies after its store commits, before telling Kafka
      first.start();
      awaitCaughtUp(store, config);
      first.close();
      assertThat(committedOffsets(config)).as("Kafka never heard of the first writer's progress").isEmpty();
      long read = positions(store, config).values().stream().mapToLong(Long::longValue).sum();

      for (int i = 6; i < 10; i++) {
        sent.add(batch(i * 100, 10, 2, 0));
        sink.write(List.of(sent.getLast()));
      }
      long published = endOffsets(config.topic()).values().stream().mapToLong(Long::longValue).sum();
      try (BusWriter second = new BusWriter(config, store).start()) {
        awaitCaughtUp(store, config);
        assertStoredOnce(store, sent);
        // it resumed from the store's positions, not from the topic's start where Kafka's offsets left it
        assertThat(second.counts().messages()).isEqualTo(published - read);
      }
    }
    // and a writer on the reopened file (a restarted process) finds nothing left to do
    try (DuckDbStore store = DuckDbStore.open(dir); BusWriter third = new BusWriter(config, store).start()) {
      await("the third writer's assignment", () -> !third.assigned().isEmpty());
      Thread.sleep(500);
      assertThat(third.counts().messages()).isZero();
      assertStoredOnce(store, sent);
    }
  }

  @Test
  void failedStoreWritesAreRetriedAndStoreEachRecordOnce() throws Exception {
    BusConfig config = topic("failing", 2);
    List<TelemetryBatch> sent = new ArrayList<>();
    try (DuckDbStore real = DuckDbStore.open(dir); KafkaBatchSink sink = new KafkaBatchSink(config)) {
      AtomicInteger failBefore = new AtomicInteger(1);
      AtomicInteger failAfter = new AtomicInteger(1);
      Store store = failing(real, failBefore, failAfter);
      for (int i = 0; i < 4; i++) {
        sent.add(batch(i * 100, 10, 2, 0));
        sink.write(List.of(sent.getLast()));
      }
      try (BusWriter writer = new BusWriter(config, store).start()) {
        awaitCaughtUp(real, config);
        for (int i = 4; i < 8; i++) {
          sent.add(batch(i * 100, 10, 2, 0));
          sink.write(List.of(sent.getLast()));
        }
        awaitCaughtUp(real, config);
        // both failures happened (the counters move on after the store's commit, hence not exact here)
        assertThat(failBefore.get()).isNegative();
        assertThat(failAfter.get()).isNotPositive();
        assertThat(writer.counts().failedWrites()).isEqualTo(2);
        assertStoredOnce(real, sent);
      }
    }
  }

  @Test
  void twoWritersInOneGroupShareThePartitionsAndTheTotalIsExact() throws Exception {
    BusConfig config = topic("shared", 4);
    List<TelemetryBatch> sent = new ArrayList<>();
    try (DuckDbStore store = DuckDbStore.open(dir); KafkaBatchSink sink = new KafkaBatchSink(config)) {
      BusWriter a = new BusWriter(config.withClientId("writer-a"), store).start();
      BusWriter b = new BusWriter(config.withClientId("writer-b"), store);
      try {
        for (int i = 0; i < 40; i++) {
          sent.add(batch(i * 100, 8, 2, 0));
          sink.write(List.of(sent.getLast()));
          if (i == 10) {
            b.start(); // a rebalance while batches keep coming
            await("both writers own partitions", () -> !b.assigned().isEmpty() && a.assigned().size() < 4);
          }
          if (i == 25) {
            a.close(); // and another as one leaves
          }
        }
        awaitCaughtUp(store, config);
        assertStoredOnce(store, sent);
        assertThat(a.counts().batches()).as("batches written by a").isPositive();
        assertThat(b.counts().batches()).as("batches written by b").isPositive();
        assertThat(b.assigned()).hasSize(4);
      } finally {
        a.close();
        b.close();
      }
    }
  }

  @Test
  void aMessageThatCannotBeStoredIsDeadLetteredAndTheGoodOnesAreWritten() throws Exception {
    BusConfig config = topic("poison", 1);
    kafka.createTopic(config.deadLetterTopic(), 1);
    TelemetryBatch g1 = batch(100, 5, 2, 0);
    TelemetryBatch g2 = batch(200, 5, 2, 0);
    TelemetryBatch g3 = batch(300, 5, 2, 0);
    Span noTrace = batch(400, 1, 1, 0).spans().getFirst();
    TelemetryBatch refused = TelemetryBatch.ofSpans("test", List.of(new Span(null, noTrace.spanId(), null,
        noTrace.name(), noTrace.kind(), noTrace.startEpochNanos(), noTrace.endEpochNanos(), noTrace.status(), null,
        noTrace.service(), null, Map.of(), Map.of(), List.of(), noTrace.category(), null, List.of())));
    try (KafkaProducer<byte[], byte[]> raw = producer()) {
      raw.send(new ProducerRecord<>(config.topic(), 0, null, BatchCodec.encode(g1))).get();
      raw.send(new ProducerRecord<>(config.topic(), 0, null, "not a batch".getBytes(StandardCharsets.UTF_8))).get();
      raw.send(new ProducerRecord<>(config.topic(), 0, null, BatchCodec.encode(g2))).get();
      raw.send(new ProducerRecord<>(config.topic(), 0, null, BatchCodec.encode(refused))).get();
      raw.send(new ProducerRecord<>(config.topic(), 0, null, BatchCodec.encode(g3))).get();
    }
    try (DuckDbStore store = DuckDbStore.open(dir); BusWriter writer = new BusWriter(config, store).start();
        KafkaBatchSink sink = new KafkaBatchSink(config)) {
      awaitCaughtUp(store, config);
      assertStoredOnce(store, List.of(g1, g2, g3));
      assertThat(writer.counts().deadLettered()).isEqualTo(2);

      TelemetryBatch g4 = batch(500, 5, 2, 0);
      sink.write(List.of(g4));
      awaitCaughtUp(store, config);
      assertStoredOnce(store, List.of(g1, g2, g3, g4));
    }
    List<ConsumerRecord<byte[], byte[]>> dead = readAll(config.deadLetterTopic());
    assertThat(dead).hasSize(2);
    assertThat(header(dead.get(0), DeadLetters.REASON)).startsWith("undecodable: not a Sightline bus batch");
    assertThat(header(dead.get(0), DeadLetters.OFFSET)).isEqualTo("1");
    assertThat(header(dead.get(0), DeadLetters.TOPIC)).isEqualTo(config.topic());
    assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("not a batch");
    assertThat(header(dead.get(1), DeadLetters.REASON)).startsWith("refused by the store:")
        .contains("no trace id");
    assertThat(header(dead.get(1), DeadLetters.OFFSET)).isEqualTo("3");
    TestBatches.assertSame(BatchCodec.decode(dead.get(1).value()), refused);
  }

  @Test
  void aMessageInANewerFormatHoldsItsPartitionInsteadOfBeingSkipped() throws Exception {
    BusConfig config = topic("newer", 1);
    kafka.createTopic(config.deadLetterTopic(), 1);
    TelemetryBatch g1 = batch(100, 5, 2, 0);
    TelemetryBatch g2 = batch(200, 5, 2, 0);
    byte[] newer = BatchCodec.encode(batch(300, 1, 1, 0));
    newer[3] = (byte) (BatchCodec.VERSION + 1);
    try (KafkaProducer<byte[], byte[]> raw = producer()) {
      raw.send(new ProducerRecord<>(config.topic(), 0, null, BatchCodec.encode(g1))).get();
      raw.send(new ProducerRecord<>(config.topic(), 0, null, newer)).get();
      raw.send(new ProducerRecord<>(config.topic(), 0, null, BatchCodec.encode(g2))).get();
    }
    try (DuckDbStore store = DuckDbStore.open(dir); BusWriter writer = new BusWriter(config, store).start()) {
      TopicPartition p0 = new TopicPartition(config.topic(), 0);
      await("the message before it written", () -> positions(store, config).equals(Map.of(p0, 1L)));
      Thread.sleep(1_000);
      // held at the newer message: an upgraded writer stores it and what follows; nothing is dead-lettered
      assertThat(positions(store, config)).isEqualTo(Map.of(p0, 1L));
      assertStoredOnce(store, List.of(g1));
      assertThat(writer.counts().deadLettered()).isZero();
    }
  }

  @Test
  void aBatchLargerThanAMessageIsSplitAndArrivesWhole() throws Exception {
    int maxRequest = 64 * 1024;
    BusConfig config = topic("big", 2).withKafka(Map.of("max.request.size", Integer.toString(maxRequest)));
    TelemetryBatch big = batch(0, 40, 25, 300); // 1,000 spans of ~400 bytes: about five times a message
    try (DuckDbStore store = DuckDbStore.open(dir); KafkaBatchSink sink = new KafkaBatchSink(config);
        BusWriter writer = new BusWriter(config, store).start()) {
      assertThat(BatchCodec.encode(big).length).isGreaterThan(4 * maxRequest);
      sink.prepare(big);
      sink.write(List.of(big));
      awaitCaughtUp(store, config);
      assertStoredOnce(store, List.of(big));
      assertThat(writer.counts().messages()).isGreaterThanOrEqualTo(5);

      // one record too large for any message is refused before anything is sent
      Map<TopicPartition, Long> before = endOffsets(config.topic());
      TelemetryBatch huge = batch(1000, 1, 1, maxRequest);
      assertThatThrownBy(() -> sink.prepare(huge)).isInstanceOf(BusRecordTooLargeException.class)
          .hasMessageContaining("of trace " + BusTraffic.traceId(1000)).hasMessageContaining("max.request.size");
      assertThatThrownBy(() -> sink.write(List.of(batch(2000, 3, 1, 0), huge)))
          .isInstanceOf(BusRecordTooLargeException.class);
      assertThat(endOffsets(config.topic())).isEqualTo(before);
    }
    for (ConsumerRecord<byte[], byte[]> r : readAll(config.topic())) {
      assertThat(r.serializedValueSize()).isLessThanOrEqualTo(maxRequest - PartitionedBatch.OVERHEAD);
    }
  }

  // ------------------------------------------------------------------ helpers

  private static BusConfig topic(String name, int partitions) throws Exception {
    String topic = "sightline.test." + name;
    kafka.createTopic(topic, partitions);
    return BusConfig.of(kafka.bootstrapServers()).withTopic(topic).withGroup("writers-" + name)
        .withClientId("test-" + name);
  }

  /** Waits until the store's positions reach the end of every partition of the topic. */
  private static void awaitCaughtUp(Store store, BusConfig config) throws Exception {
    Map<TopicPartition, Long> end = endOffsets(config.topic());
    end.values().removeIf(o -> o == 0);
    await("the store's positions at the topic's end " + end, () -> positions(store, config).equals(end));
  }

  private static Map<TopicPartition, Long> positions(Store store, BusConfig config) {
    Map<TopicPartition, Long> out = new HashMap<>();
    for (BusPosition p : store.busPositions(config.group())) {
      out.put(new TopicPartition(p.topic(), p.partition()), p.offset());
    }
    return out;
  }

  private static Map<TopicPartition, Long> endOffsets(String topic) {
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      List<TopicPartition> parts = new ArrayList<>();
      for (PartitionInfo p : c.partitionsFor(topic)) {
        parts.add(new TopicPartition(topic, p.partition()));
      }
      return new HashMap<>(c.endOffsets(parts));
    }
  }

  private static Map<TopicPartition, ?> committedOffsets(BusConfig config) throws Exception {
    try (var admin = kafka.admin()) {
      return admin.listConsumerGroupOffsets(config.group()).partitionsToOffsetAndMetadata().get();
    }
  }

  private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
    Map<TopicPartition, Long> end = endOffsets(topic);
    List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> c = consumer()) {
      c.assign(end.keySet());
      c.seekToBeginning(end.keySet());
      long want = end.values().stream().mapToLong(Long::longValue).sum();
      long deadline = System.nanoTime() + BusTraffic.GIVE_UP.toNanos();
      while (out.size() < want) {
        assertThat(System.nanoTime()).as("reading %s", topic).isLessThan(deadline);
        c.poll(Duration.ofMillis(200)).forEach(out::add);
      }
    }
    out.sort((x, y) -> x.partition() != y.partition() ? Integer.compare(x.partition(), y.partition())
        : Long.compare(x.offset(), y.offset()));
    return out;
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  private static KafkaConsumer<byte[], byte[]> consumer() {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
  }

  /**
   * The store, whose first {@code failBefore} bus writes fail without writing, and whose next
   * {@code failAfter} fail after committing (a writer that dies between its store and Kafka commits).
   */
  private static Store failing(Store real, AtomicInteger failBefore, AtomicInteger failAfter) {
    return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          boolean busWrite = method.getName().equals("write") && args != null && args.length == 2;
          if (busWrite && failBefore.getAndDecrement() > 0) {
            throw new IllegalStateException("test: the store is unreachable");
          }
          Object result;
          try {
            result = method.invoke(real, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
          if (busWrite && failBefore.get() < 0 && failAfter.getAndDecrement() > 0) {
            throw new IllegalStateException("test: the writer died after its store commit");
          }
          return result;
        });
  }
}
