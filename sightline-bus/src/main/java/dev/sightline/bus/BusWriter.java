package dev.sightline.bus;

import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.BusPosition;
import dev.sightline.store.BusRead;
import dev.sightline.store.BusTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writer role: consumes the bus topic as a member of the writers' group and writes each poll
 * to the store in one commit (group commit) together with the positions it read up to, so a message
 * is stored exactly once whoever reads it again (a restarted writer, a rebalance, a replay). On
 * assignment it resumes from the store's positions; Kafka's committed offsets only follow, for
 * monitoring. Messages it cannot store go to the dead-letter topic (docs/scale-out.md).
 */
public final class BusWriter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BusWriter.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long MAX_BACKOFF_MS = 10_000;
  /** How long a partition waits at a message in a newer format version before it is read again. */
  static final Duration NEWER_VERSION_PAUSE = Duration.ofSeconds(10);

  /** What the writer has done since it started. */
  public record Counts(long messages, long batches, long records, long deadLettered, long failedWrites) {}

  private final BusConfig config;
  private final BusTarget store;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final DeadLetters deadLetters;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong batches = new AtomicLong();
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong deadLettered = new AtomicLong();
  private final AtomicLong failedWrites = new AtomicLong();
  private final Thread thread;
  private volatile boolean commitKafkaOffsets = true;
  private volatile boolean started;
  private volatile Set<TopicPartition> assigned = Set.of();
  /** Partitions held at a message in a newer format version, until when (writer thread only). */
  private final Map<TopicPartition, Long> pausedUntil = new HashMap<>();

  /** A writer of {@code store} for the bus of {@code config}; {@link #start} it. Close it before the store. */
  public BusWriter(BusConfig config, BusTarget store) {
    this.config = config;
    this.store = store;
    this.consumer = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
    this.deadLetters = new DeadLetters(config);
    this.thread = new Thread(this::run, "sightline-bus-writer-" + config.clientId());
    this.thread.setDaemon(true);
  }

  private static Map<String, Object> consumerProperties(BusConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, config.clientId());
    // a new group reads the topic from its start: what was published before the first writer is not lost
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // a writer that dies (kill -9, a lost machine) holds its partitions until its session times out:
    // 10 s instead of Kafka's 45 s, so a restarted or surviving writer takes them over soon
    p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 2_000);
    p.putAll(config.kafka());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return p;
  }

  /** Starts consuming on the writer's own thread. */
  public synchronized BusWriter start() {
    if (started || stopping()) {
      throw new IllegalStateException("a bus writer starts once, before it is closed");
    }
    started = true;
    thread.start();
    return this;
  }

  public Counts counts() {
    return new Counts(messages.get(), batches.get(), records.get(), deadLettered.get(), failedWrites.get());
  }

  /** The partitions this writer owns now (empty before it joined the group and after it left). */
  public Set<TopicPartition> assigned() {
    return assigned;
  }

  /** For tests of a writer that dies between its store commit and its Kafka commit: never commit to Kafka. */
  void skipKafkaCommits() {
    commitKafkaOffsets = false;
  }

  /**
   * Stops after the store write in progress, if any, has committed or failed whole (what was
   * polled but not written is read again by the partitions' next owner), and leaves the group.
   */
  @Override
  public void close() {
    stop.countDown();
    consumer.wakeup();
    if (!started) {
      closeClients();
      return;
    }
    try {
      // the writer's thread closes the clients (a Kafka consumer is not for two threads)
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void closeClients() {
    try {
      consumer.close(Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      LOG.debug("closing the bus consumer: {}", e.toString());
    }
    deadLetters.close();
  }

  private boolean stopping() {
    return stop.getCount() == 0;
  }

  private void run() {
    long backoff = 0;
    try {
      consumer.subscribe(List.of(config.topic()), new ResumeFromStore());
      while (!stopping()) {
        ConsumerRecords<byte[], byte[]> polled = ConsumerRecords.empty();
        try {
          resumeDue();
          polled = consumer.poll(POLL);
          if (!polled.isEmpty()) {
            write(polled);
          }
          backoff = 0;
        } catch (WakeupException e) {
          break;
        } catch (RuntimeException e) {
          failedWrites.incrementAndGet();
          backoff = backoff == 0 ? 100 : Math.min(MAX_BACKOFF_MS, backoff * 2);
          LOG.warn("Writing {} bus message(s) failed; reading them again in {} ms: {}", polled.count(), backoff,
              e.toString());
          rewind(polled);
          if (stop.await(backoff, TimeUnit.MILLISECONDS)) {
            break;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("The bus writer stopped", e);
    } finally {
      assigned = Set.of();
      closeClients();
    }
  }

  /** Holds each partition at its message in a newer format version: seek back to it and pause. */
  private void hold(Map<TopicPartition, Long> held) {
    long until = System.nanoTime() + NEWER_VERSION_PAUSE.toNanos();
    held.forEach((tp, offset) -> {
      consumer.seek(tp, offset);
      consumer.pause(List.of(tp));
      pausedUntil.put(tp, until);
    });
  }

  /** Resumes held partitions whose pause is over (and forgets those no longer assigned). */
  private void resumeDue() {
    if (pausedUntil.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    Set<TopicPartition> mine = consumer.assignment();
    List<TopicPartition> due = new ArrayList<>();
    pausedUntil.entrySet().removeIf(e -> {
      boolean over = now - e.getValue() >= 0 || !mine.contains(e.getKey());
      if (over && mine.contains(e.getKey())) {
        due.add(e.getKey());
      }
      return over;
    });
    consumer.resume(due);
  }

  /** Seeks every polled partition back to its first polled message: they are read and written again. */
  private void rewind(ConsumerRecords<byte[], byte[]> polled) {
    for (TopicPartition tp : polled.partitions()) {
      try {
        consumer.seek(tp, polled.records(tp).getFirst().offset());
      } catch (RuntimeException e) {
        // no longer ours (rebalanced): its new owner resumes from the store's positions
        LOG.debug("not rewinding {}: {}", tp, e.toString());
      }
    }
  }

  /** Decodes the poll and writes it in one store commit with the positions past its last messages. */
  private void write(ConsumerRecords<byte[], byte[]> polled) {
    List<TelemetryBatch> decoded = new ArrayList<>();
    List<ConsumerRecord<byte[], byte[]>> sources = new ArrayList<>();
    List<DeadLetters.Letter> dead = new ArrayList<>();
    Map<TopicPartition, Long> next = new LinkedHashMap<>();
    Map<TopicPartition, Long> held = new HashMap<>();
    long handled = 0;
    for (ConsumerRecord<byte[], byte[]> r : polled) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (held.containsKey(tp)) {
        continue;
      }
      try {
        decoded.add(BatchCodec.decode(r.value()));
        sources.add(r);
      } catch (BatchFormatException e) {
        if (e.newerVersion()) {
          // not bad data: this writer is older than the ingest node; the partition waits for an upgrade
          held.put(tp, r.offset());
          LOG.error("Bus message {}-{}@{} is in a newer format: {}; the partition waits, re-reading it every {} s",
              r.topic(), r.partition(), r.offset(), e.getMessage(), NEWER_VERSION_PAUSE.toSeconds());
          continue;
        }
        dead.add(new DeadLetters.Letter(r, "undecodable: " + e.getMessage()));
      }
      next.merge(tp, r.offset() + 1, Math::max);
      handled++;
    }
    // dead letters go out before the commit that moves past them; a crash in between sends them again
    sendDead(dead);
    try {
      if (!next.isEmpty()) {
        store.write(decoded, read(sources, next));
      }
    } catch (RuntimeException e) {
      if (!refused(e) || decoded.isEmpty()) {
        throw e;
      }
      // a record the store refuses would fail every write it is in: find it, write the rest
      writeOneByOne(decoded, sources, next);
    }
    hold(held);
    messages.addAndGet(handled);
    batches.addAndGet(decoded.size());
    records.addAndGet(decoded.stream().mapToLong(TelemetryBatch::size).sum());
    if (commitKafkaOffsets) {
      Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
      next.forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o)));
      consumer.commitAsync(offsets, (o, e) -> {
        if (e != null) {
          LOG.debug("Kafka offset commit failed (the store's positions stay authoritative): {}", e.toString());
        }
      });
    }
  }

  /**
   * Writes the decoded batches one at a time, each with the position past its own message; one the
   * store refuses becomes a dead letter (sent before the next commit). Then moves every partition
   * past the whole poll.
   */
  private void writeOneByOne(List<TelemetryBatch> decoded, List<ConsumerRecord<byte[], byte[]>> sources,
      Map<TopicPartition, Long> next) {
    for (int i = 0; i < decoded.size(); i++) {
      ConsumerRecord<byte[], byte[]> r = sources.get(i);
      try {
        store.write(List.of(decoded.get(i)), read(List.of(r),
            Map.of(new TopicPartition(r.topic(), r.partition()), r.offset() + 1)));
      } catch (RuntimeException e) {
        if (!refused(e)) {
          throw e;
        }
        sendDead(List.of(new DeadLetters.Letter(r, "refused by the store: " + rootMessage(e))));
      }
    }
    store.write(List.of(), read(List.of(), next));
  }

  private void sendDead(List<DeadLetters.Letter> dead) {
    if (dead.isEmpty()) {
      return;
    }
    deadLetters.send(dead);
    deadLettered.addAndGet(dead.size());
    for (DeadLetters.Letter l : dead) {
      LOG.warn("Bus message {}-{}@{} sent to {}: {}", l.message().topic(), l.message().partition(),
          l.message().offset(), config.deadLetterTopic(), l.reason());
    }
  }

  private BusRead read(List<ConsumerRecord<byte[], byte[]>> sources, Map<TopicPartition, Long> next) {
    List<BusPosition> origins = new ArrayList<>(sources.size());
    for (ConsumerRecord<byte[], byte[]> r : sources) {
      origins.add(new BusPosition(r.topic(), r.partition(), r.offset()));
    }
    List<BusPosition> positions = new ArrayList<>(next.size());
    next.forEach((tp, o) -> positions.add(new BusPosition(tp.topic(), tp.partition(), o)));
    return new BusRead(config.group(), origins, positions);
  }

  /** Whether the store refused what a batch holds (rather than failing to write at all). */
  private static boolean refused(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IllegalArgumentException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.toString() : t.getMessage();
  }

  /** On assignment, resumes each partition from the store's position (Kafka's offsets may lag behind it). */
  private final class ResumeFromStore implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      Map<TopicPartition, Long> stored = new HashMap<>();
      for (BusPosition p : store.busPositions(config.group())) {
        stored.put(new TopicPartition(p.topic(), p.partition()), p.offset());
      }
      for (TopicPartition tp : partitions) {
        Long at = stored.get(tp);
        if (at != null) {
          consumer.seek(tp, at);
        }
      }
      Set<TopicPartition> now = new HashSet<>(assigned);
      now.addAll(partitions);
      assigned = Set.copyOf(now);
      LOG.info("Bus writer {} assigned {}", config.clientId(), partitions);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      // nothing to flush: every poll is written whole before the next poll, and the store has the positions
      Set<TopicPartition> now = new HashSet<>(assigned);
      now.removeAll(partitions);
      assigned = Set.copyOf(now);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      onPartitionsRevoked(partitions);
    }
  }
}
