package dev.sightline.bus;

import dev.sightline.model.LogRecord;
import dev.sightline.model.MetricPoint;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.utils.Utils;

/**
 * A batch cut into bus messages: one per partition (every span of a trace, and the logs and scores
 * that name the trace, in the partition its trace id hashes to), each cut further in halves until
 * it encodes within the message limit.
 */
final class PartitionedBatch {
  /** Per-message room for the record and batch headers and the key, below {@code max.request.size}. */
  static final int OVERHEAD = 512;

  /** One message to publish: its partition, its key (a trace id it carries, or null) and its bytes. */
  record Message(int partition, String key, byte[] value, int records) {}

  private PartitionedBatch() {}

  /** The partition of a trace: Kafka's own choice for this key (murmur2 of its UTF-8 bytes). */
  static int partitionOf(String traceId, int partitions) {
    return Utils.toPositive(Utils.murmur2(traceId.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  /**
   * The batch as messages over {@code partitions} partitions, none larger than {@code maxBytes}.
   * Records without a trace id (metric points, logs and scores outside a trace) ride with the first
   * trace's records, or go to {@code spareUntracedPartition} when the batch has no trace.
   *
   * @throws BusRecordTooLargeException when one record alone encodes to more than {@code maxBytes}
   */
  static List<Message> split(TelemetryBatch batch, int partitions, int spareUntracedPartition, int maxBytes) {
    Map<Integer, Parts> byPartition = new TreeMap<>();
    int untracedPartition = firstTraced(batch, partitions, spareUntracedPartition);
    for (Span s : batch.spans()) {
      parts(byPartition, s.traceId(), partitions, untracedPartition).spans.add(s);
    }
    for (LogRecord l : batch.logs()) {
      parts(byPartition, l.traceId(), partitions, untracedPartition).logs.add(l);
    }
    for (Score s : batch.scores()) {
      parts(byPartition, s.traceId(), partitions, untracedPartition).scores.add(s);
    }
    for (MetricPoint m : batch.metrics()) {
      parts(byPartition, null, partitions, untracedPartition).metrics.add(m);
    }
    List<Message> out = new ArrayList<>();
    byPartition.forEach((partition, parts) -> cut(batch, partition, parts, maxBytes, out));
    return out;
  }

  private static int firstTraced(TelemetryBatch batch, int partitions, int spare) {
    for (Span s : batch.spans()) {
      if (s.traceId() != null && !s.traceId().isEmpty()) {
        return partitionOf(s.traceId(), partitions);
      }
    }
    for (LogRecord l : batch.logs()) {
      if (l.traceId() != null) {
        return partitionOf(l.traceId(), partitions);
      }
    }
    for (Score s : batch.scores()) {
      if (s.traceId() != null && !s.traceId().isEmpty()) {
        return partitionOf(s.traceId(), partitions);
      }
    }
    return Math.floorMod(spare, partitions);
  }

  private static Parts parts(Map<Integer, Parts> byPartition, String traceId, int partitions, int untraced) {
    int p = traceId == null || traceId.isEmpty() ? untraced : partitionOf(traceId, partitions);
    return byPartition.computeIfAbsent(p, k -> new Parts());
  }

  private static void cut(TelemetryBatch origin, int partition, Parts parts, int maxBytes, List<Message> out) {
    TelemetryBatch b = new TelemetryBatch(origin.receiver(), parts.spans, parts.logs, parts.metrics, parts.scores,
        origin.project());
    byte[] bytes = BatchCodec.encode(b);
    if (bytes.length <= maxBytes) {
      out.add(new Message(partition, parts.key(), bytes, b.size()));
      return;
    }
    if (b.size() == 1) {
      throw new BusRecordTooLargeException(parts.describe() + " encodes to " + bytes.length
          + " bytes, more than the bus's message limit of " + maxBytes + " bytes (max.request.size less "
          + OVERHEAD + "): it is refused, not sent; raise max.request.size and the topic's max.message.bytes"
          + " to carry it");
    }
    Parts[] halves = parts.halves();
    cut(origin, partition, halves[0], maxBytes, out);
    cut(origin, partition, halves[1], maxBytes, out);
  }

  /** The records of one partition (or one piece of it). */
  private static final class Parts {
    final List<Span> spans = new ArrayList<>();
    final List<LogRecord> logs = new ArrayList<>();
    final List<MetricPoint> metrics = new ArrayList<>();
    final List<Score> scores = new ArrayList<>();

    /** A trace id among the records, the message's key. */
    String key() {
      for (Span s : spans) {
        if (s.traceId() != null && !s.traceId().isEmpty()) {
          return s.traceId();
        }
      }
      for (LogRecord l : logs) {
        if (l.traceId() != null) {
          return l.traceId();
        }
      }
      for (Score s : scores) {
        if (s.traceId() != null && !s.traceId().isEmpty()) {
          return s.traceId();
        }
      }
      return null;
    }

    /** Two pieces of about half the records each, in order. */
    Parts[] halves() {
      List<Object> all = new ArrayList<>(spans.size() + logs.size() + metrics.size() + scores.size());
      all.addAll(spans);
      all.addAll(logs);
      all.addAll(metrics);
      all.addAll(scores);
      Parts a = new Parts();
      Parts b = new Parts();
      int half = all.size() / 2;
      for (int i = 0; i < all.size(); i++) {
        (i < half ? a : b).add(all.get(i));
      }
      return new Parts[] {a, b};
    }

    private void add(Object r) {
      switch (r) {
        case Span s -> spans.add(s);
        case LogRecord l -> logs.add(l);
        case MetricPoint m -> metrics.add(m);
        case Score s -> scores.add(s);
        default -> throw new IllegalStateException(r.getClass().getName());
      }
    }

    /** The one record, for an error message. */
    String describe() {
      if (!spans.isEmpty()) {
        Span s = spans.getFirst();
        return "The span " + s.spanId() + " (\"" + s.name() + "\") of trace " + s.traceId();
      }
      if (!logs.isEmpty()) {
        return "A log record of service " + logs.getFirst().service();
      }
      if (!metrics.isEmpty()) {
        return "A point of metric " + metrics.getFirst().name();
      }
      return "The score \"" + scores.getFirst().name() + "\" of trace " + scores.getFirst().traceId();
    }
  }
}
