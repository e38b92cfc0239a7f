package dev.sightline.bus;

import java.util.Map;
import java.util.Objects;

/**
 * Where the ingest bus is and what it is called: what ingest nodes ({@link KafkaBatchSink}) and
 * writer nodes ({@link BusWriter}) need (docs/scale-out.md).
 *
 * @param bootstrapServers Kafka's {@code bootstrap.servers}, e.g. {@code kafka1:9092,kafka2:9092}
 * @param topic the topic of the canonical batches; dead letters go to {@code <topic>.dead}
 * @param clientId Kafka's {@code client.id} of this node's producer and consumer (shows in broker logs)
 * @param group the consumer group of the writer nodes; the store keeps its positions under this name
 * @param kafka more Kafka client properties, set last (e.g. {@code max.request.size},
 *     {@code security.protocol}); the ones the bus's promises rest on (acks, idempotence, auto
 *     commit, serializers) cannot be changed here
 */
public record BusConfig(String bootstrapServers, String topic, String clientId, String group,
    Map<String, String> kafka) {
  public static final String DEFAULT_TOPIC = "sightline.batches";
  public static final String DEFAULT_GROUP = "sightline-writers";
  public static final String DEFAULT_CLIENT_ID = "sightline";
  /** Kafka's own default of {@code max.request.size}. */
  static final int DEFAULT_MAX_REQUEST_SIZE = 1 << 20;

  public BusConfig {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("the bus needs Kafka's bootstrap servers (host:port[,host:port…])");
    }
    topic = name(topic, DEFAULT_TOPIC, "topic");
    clientId = name(clientId, DEFAULT_CLIENT_ID, "client id");
    group = name(group, DEFAULT_GROUP, "consumer group");
    kafka = Map.copyOf(kafka == null ? Map.of() : kafka);
    for (String fixed : new String[] {"acks", "enable.idempotence", "enable.auto.commit", "key.serializer",
        "value.serializer", "key.deserializer", "value.deserializer", "group.id", "bootstrap.servers"}) {
      if (kafka.containsKey(fixed)) {
        throw new IllegalArgumentException("the bus sets Kafka's " + fixed + " itself; remove it from the extra"
            + " Kafka properties");
      }
    }
    maxRequestSize(kafka);
  }

  /** The defaults (topic, client id, group) for these bootstrap servers. */
  public static BusConfig of(String bootstrapServers) {
    return new BusConfig(bootstrapServers, null, null, null, Map.of());
  }

  public BusConfig withTopic(String newTopic) {
    return new BusConfig(bootstrapServers, newTopic, clientId, group, kafka);
  }

  public BusConfig withClientId(String newClientId) {
    return new BusConfig(bootstrapServers, topic, newClientId, group, kafka);
  }

  public BusConfig withGroup(String newGroup) {
    return new BusConfig(bootstrapServers, topic, clientId, newGroup, kafka);
  }

  public BusConfig withKafka(Map<String, String> newKafka) {
    return new BusConfig(bootstrapServers, topic, clientId, group, newKafka);
  }

  /** The topic of messages a writer could not decode or the store refused. */
  public String deadLetterTopic() {
    return topic + ".dead";
  }

  /** The producer's {@code max.request.size}: no message is larger. */
  int maxRequestSize() {
    return maxRequestSize(kafka);
  }

  private static int maxRequestSize(Map<String, String> kafka) {
    String v = kafka.get("max.request.size");
    if (v == null) {
      return DEFAULT_MAX_REQUEST_SIZE;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 4096) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new IllegalArgumentException("max.request.size is a number of bytes of at least 4096, not \"" + v + "\"");
  }

  private static String name(String value, String fallback, String what) {
    String v = value == null ? fallback : value;
    Objects.requireNonNull(v);
    if (v.isBlank() || v.length() > 200) {
      throw new IllegalArgumentException("the bus's " + what + " is 1 to 200 chars, not \"" + v + "\"");
    }
    return v;
  }
}
