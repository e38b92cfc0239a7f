package dev.sightline.bus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The writer's dead-letter topic ({@code <topic>.dead}): a message it cannot store goes there
 * unchanged (key, value, headers) with where it came from and why, before the writer's position
 * moves past it, so nothing is dropped unseen.
 */
final class DeadLetters implements AutoCloseable {
  static final String REASON = "sightline.dead.reason";
  static final String TOPIC = "sightline.dead.topic";
  static final String PARTITION = "sightline.dead.partition";
  static final String OFFSET = "sightline.dead.offset";

  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;

  DeadLetters(BusConfig config) {
    this.topic = config.deadLetterTopic();
    Map<String, Object> p = new HashMap<>(KafkaBatchSink.producerProperties(config.withClientId(
        config.clientId() + "-dead-letters")));
    p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** A message and why it cannot be stored. */
  record Letter(ConsumerRecord<byte[], byte[]> message, String reason) {}

  /** Publishes the letters and waits for Kafka's acknowledgement of each; throws if one is missing. */
  void send(List<Letter> letters) {
    List<Future<RecordMetadata>> acks = new ArrayList<>();
    for (Letter l : letters) {
      ConsumerRecord<byte[], byte[]> m = l.message();
      ProducerRecord<byte[], byte[]> out = new ProducerRecord<>(topic, null, m.key(), m.value());
      for (Header h : m.headers()) {
        out.headers().add(h);
      }
      String reason = l.reason() == null ? "unknown" : l.reason();
      out.headers().add(REASON, utf8(reason.length() > 4096 ? reason.substring(0, 4096) : reason));
      out.headers().add(TOPIC, utf8(m.topic()));
      out.headers().add(PARTITION, utf8(Integer.toString(m.partition())));
      out.headers().add(OFFSET, utf8(Long.toString(m.offset())));
      acks.add(producer.send(out));
    }
    long deadline = System.nanoTime() + KafkaBatchSink.ACK_TIMEOUT.toNanos();
    try {
      for (Future<RecordMetadata> ack : acks) {
        ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("Could not publish " + letters.size() + " dead letter(s) to " + topic
          + " (does the topic exist?): " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not acknowledge dead letters to " + topic + " in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while publishing dead letters", e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
