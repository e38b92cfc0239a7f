package dev.sightline.bus;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.BatchSink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The pipeline's sink on ingest nodes: publishes each batch to the bus topic as
 * {@link BatchCodec}-encoded messages, one per partition its traces hash to, and returns from
 * {@link #write} only when Kafka has acknowledged every message (acks=all, idempotent producer), so
 * a sender's acknowledgement means the cluster has its records. Thread-safe.
 */
public final class KafkaBatchSink implements BatchSink, AutoCloseable {
  /** The longest a write waits for Kafka before its senders are told to retry. */
  static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final BusConfig config;
  private final KafkaProducer<byte[], byte[]> producer;
  private final int maxMessageBytes;
  /** Spreads batches without any trace (metric exports) over the partitions. */
  private final AtomicInteger untraced = new AtomicInteger();
  /** Messages cut by {@link #prepare}, waiting for their write; identity keys (records hash by value). */
  private final Map<TelemetryBatch, Prepared> prepared = Collections.synchronizedMap(new IdentityHashMap<>());

  private record Prepared(int partitions, List<PartitionedBatch.Message> messages) {}

  public KafkaBatchSink(BusConfig config) {
    this.config = config;
    this.maxMessageBytes = config.maxRequestSize() - PartitionedBatch.OVERHEAD;
    this.producer = new KafkaProducer<>(producerProperties(config), new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  static Map<String, Object> producerProperties(BusConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.CLIENT_ID_CONFIG, config.clientId());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_TIMEOUT.toMillis());
    p.putAll(config.kafka());
    // what acknowledgements rest on: every in-sync replica has each message, and retries add no copies
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    return p;
  }

  /**
   * Cuts the batch into its messages on the caller's (processor) thread, so that a record too large
   * for the bus fails its own batch only, not the other senders' batches of the same write.
   *
   * @throws BusRecordTooLargeException when one record alone exceeds the message limit
   */
  @Override
  public void prepare(TelemetryBatch batch) {
    int partitions = partitions();
    prepared.put(batch, new Prepared(partitions, cut(batch, partitions)));
  }

  /**
   * Publishes the batches and waits until Kafka has acknowledged every message.
   *
   * @throws BusRecordTooLargeException when a batch that was not prepared holds a record too large
   *     (nothing of the write is sent)
   * @throws BusUnavailableException when Kafka did not acknowledge every message in time: the senders
   *     are to retry (messages acknowledged before stay published)
   */
  @Override
  public void write(List<TelemetryBatch> batches) {
    if (batches.isEmpty()) {
      return;
    }
    int partitions = partitions();
    List<PartitionedBatch.Message> messages = new ArrayList<>();
    for (TelemetryBatch b : batches) {
      Prepared p = prepared.remove(b);
      messages.addAll(p != null && p.partitions() == partitions ? p.messages() : cut(b, partitions));
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(messages.size());
    try {
      for (PartitionedBatch.Message m : messages) {
        byte[] key = m.key() == null ? null : m.key().getBytes(StandardCharsets.UTF_8);
        acks.add(producer.send(new ProducerRecord<>(config.topic(), m.partition(), key, m.value())));
      }
      long deadline = System.nanoTime() + ACK_TIMEOUT.toNanos();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw unavailable(messages.size(), e.getCause());
    } catch (TimeoutException | RuntimeException e) {
      throw unavailable(messages.size(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw unavailable(messages.size(), e);
    }
  }

  private BusUnavailableException unavailable(int messages, Throwable cause) {
    return new BusUnavailableException("Kafka did not acknowledge all " + messages + " message(s) to topic "
        + config.topic() + " at " + config.bootstrapServers() + ": " + cause, cause);
  }

  private List<PartitionedBatch.Message> cut(TelemetryBatch b, int partitions) {
    return PartitionedBatch.split(b, partitions, untraced.getAndIncrement(), maxMessageBytes);
  }

  /** The topic's partition count (the producer keeps the metadata; refreshed as Kafka's is). */
  private int partitions() {
    List<PartitionInfo> info;
    try {
      info = producer.partitionsFor(config.topic());
    } catch (RuntimeException e) {
      throw new BusUnavailableException("Could not read the partitions of topic " + config.topic() + " from "
          + config.bootstrapServers() + " (does the topic exist?): " + e, e);
    }
    if (info == null || info.isEmpty()) {
      throw new BusUnavailableException("Topic " + config.topic() + " has no partitions at "
          + config.bootstrapServers(), null);
    }
    return info.size();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
