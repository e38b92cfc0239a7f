package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.TelemetryBatch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Encoded batches through a real (in-process, one-node KRaft) Kafka the way the ingest bus will use
 * it: keyed by trace id, acks=all, and offsets committed by hand only after a batch is processed.
 */
class KafkaRoundTripTest {
  private static final String TOPIC = "sightline-batches";
  private static final int PARTITIONS = 4;
  /** Which of the sent batches a record holds, so that records from four partitions can be matched. */
  private static final String SEQ = "test-seq";
  /** A guard against a hang, not a timing assumption: every wait below ends as soon as its records arrive. */
  private static final Duration GIVE_UP = Duration.ofSeconds(60);

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start();
    kafka.createTopic(TOPIC, PARTITIONS);
    System.err.println("EmbeddedKafka started in " + kafka.startMillis() + " ms");
  }

  @AfterAll
  static void stopKafka() {
    if (kafka != null) {
      long t0 = System.nanoTime();
      kafka.close();
      System.err.println("EmbeddedKafka stopped in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    }
  }

  @Test
  void batchesComeBackEqualAndAreReplayedUntilCommitted() throws Exception {
    List<TelemetryBatch> sent = List.of(
        TestBatches.everything(),
        RealisticBatch.processed(RealisticBatch.request(1)),
        RealisticBatch.processed(RealisticBatch.request(7)));
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int i = 0; i < sent.size(); i++) {
        TelemetryBatch batch = sent.get(i);
        ProducerRecord<String, byte[]> record =
            new ProducerRecord<>(TOPIC, batch.spans().getFirst().traceId(), BatchCodec.encode(batch));
        record.headers().add(SEQ, Integer.toString(i).getBytes(StandardCharsets.UTF_8));
        // get(): an export is acknowledged only once Kafka has acknowledged its batch
        RecordMetadata acked = producer.send(record).get();
        assertThat(acked.offset()).isNotNegative();
      }
    }

    String group = "writers-" + System.nanoTime();
    // a writer that processes the batches and dies before committing
    Map<Integer, TelemetryBatch> first = consume(group, sent.size(), false);
    assertBatches(first, sent);
    // its successor in the group gets them all again: why a writer's store commit must be idempotent
    Map<Integer, TelemetryBatch> replayed = consume(group, sent.size(), true);
    assertBatches(replayed, sent);

    // after that commit, a new member sees only what was produced since: one marker per partition
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (int p = 0; p < PARTITIONS; p++) {
        ProducerRecord<String, byte[]> marker = new ProducerRecord<>(TOPIC, p, "marker", BatchCodec.encode(
            TelemetryBatch.ofSpans("marker", List.of())));
        marker.headers().add(SEQ, Integer.toString(100 + p).getBytes(StandardCharsets.UTF_8));
        producer.send(marker).get();
      }
    }
    // each partition is read in order, so a replayed batch would arrive before its partition's marker
    List<ConsumerRecord<String, byte[]>> after = poll(group, true, records -> markers(records) == PARTITIONS);
    assertThat(after).extracting(ConsumerRecord::key).containsOnly("marker").hasSize(PARTITIONS);
  }

  private static void assertBatches(Map<Integer, TelemetryBatch> received, List<TelemetryBatch> sent) {
    assertThat(received.keySet()).containsExactly(0, 1, 2);
    for (int i = 0; i < sent.size(); i++) {
      TestBatches.assertSame(received.get(i), sent.get(i));
    }
  }

  /** Reads {@code count} batches as one member of {@code group}, committing their offsets only when asked. */
  private static Map<Integer, TelemetryBatch> consume(String group, int count, boolean commit) throws Exception {
    List<ConsumerRecord<String, byte[]>> records = poll(group, commit, r -> r.size() >= count);
    assertThat(records).hasSize(count);
    Map<Integer, TelemetryBatch> bySeq = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      TelemetryBatch batch = BatchCodec.decode(r.value());
      assertThat(r.key()).isEqualTo(batch.spans().getFirst().traceId());
      bySeq.put(seq(r), batch);
    }
    return bySeq;
  }

  /**
   * One consumer's life in the group: polls until {@code done}, "processes" what it read, commits
   * the offsets synchronously when {@code commit} (after processing, as a writer does after its
   * store commit), and leaves.
   */
  private static List<ConsumerRecord<String, byte[]>> poll(String group, boolean commit,
      Predicate<List<ConsumerRecord<String, byte[]>>> done) {
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = consumer(group)) {
      consumer.subscribe(List.of(TOPIC));
      long deadline = System.nanoTime() + GIVE_UP.toNanos();
      while (!done.test(records)) {
        assertThat(System.nanoTime()).as("records within %s", GIVE_UP).isLessThan(deadline);
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      if (commit) {
        consumer.commitSync();
      }
    }
    return records;
  }

  private static long markers(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().filter(r -> "marker".equals(r.key())).count();
  }

  private static int seq(ConsumerRecord<String, byte[]> r) {
    Header h = r.headers().lastHeader(SEQ);
    return Integer.parseInt(new String(h.value(), StandardCharsets.UTF_8));
  }

  private static KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
        new StringSerializer(), new ByteArraySerializer());
  }

  private static KafkaConsumer<String, byte[]> consumer(String group) {
    return new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, group,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new ByteArrayDeserializer());
  }
}
