package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a batch is cut into bus messages: by the partition of each trace, and under the size limit. */
class PartitionedBatchTest {
  private static final int PARTITIONS = 6;

  @Test
  void everyRecordLandsOnceInItsTracesPartitionWithTheBatchsProjectAndReceiver() throws Exception {
    TelemetryBatch b = BusTraffic.batch(0, 50, 3, 0).withProject("team-a");
    List<PartitionedBatch.Message> messages = PartitionedBatch.split(b, PARTITIONS, 0, 1 << 20);
    assertThat(messages).hasSizeLessThanOrEqualTo(PARTITIONS).extracting(PartitionedBatch.Message::partition)
        .doesNotHaveDuplicates();
    List<Span> spans = new ArrayList<>();
    List<LogRecord> logs = new ArrayList<>();
    List<Score> scores = new ArrayList<>();
    for (PartitionedBatch.Message m : messages) {
      TelemetryBatch part = BatchCodec.decode(m.value());
      assertThat(part.project()).isEqualTo("team-a");
      assertThat(part.receiver()).isEqualTo("test");
      assertThat(m.records()).isEqualTo(part.size());
      assertThat(PartitionedBatch.partitionOf(m.key(), PARTITIONS)).isEqualTo(m.partition());
      part.spans().forEach(s -> assertThat(PartitionedBatch.partitionOf(s.traceId(), PARTITIONS))
          .isEqualTo(m.partition()));
      part.logs().forEach(l -> assertThat(PartitionedBatch.partitionOf(l.traceId(), PARTITIONS))
          .isEqualTo(m.partition()));
      part.scores().forEach(s -> assertThat(PartitionedBatch.partitionOf(s.traceId(), PARTITIONS))
          .isEqualTo(m.partition()));
      spans.addAll(part.spans());
      logs.addAll(part.logs());
      scores.addAll(part.scores());
    }
    assertThat(spans).containsExactlyInAnyOrderElementsOf(b.spans());
    assertThat(logs).containsExactlyInAnyOrderElementsOf(b.logs());
    assertThat(scores).containsExactlyInAnyOrderElementsOf(b.scores());
  }

  @Test
  void recordsWithoutATraceRideWithTheFirstTraceOrGoToTheSparePartition() throws Exception {
    TelemetryBatch everything = TestBatches.everything();
    assertThat(everything.metrics()).isNotEmpty();
    int first = PartitionedBatch.partitionOf(everything.spans().getFirst().traceId(), PARTITIONS);
    for (PartitionedBatch.Message m : PartitionedBatch.split(everything, PARTITIONS, 3, 1 << 20)) {
      TelemetryBatch part = BatchCodec.decode(m.value());
      if (!part.metrics().isEmpty()) {
        assertThat(m.partition()).isEqualTo(first);
      }
    }
    TelemetryBatch metricsOnly = TelemetryBatch.ofMetrics("test", everything.metrics());
    List<PartitionedBatch.Message> alone = PartitionedBatch.split(metricsOnly, PARTITIONS, 3 + PARTITIONS, 1 << 20);
    assertThat(alone).singleElement().satisfies(m -> {
      assertThat(m.partition()).isEqualTo(3);
      assertThat(m.key()).isNull();
      TestBatches.assertSame(BatchCodec.decode(m.value()), metricsOnly);
    });
  }

  @Test
  void aPartitionsShareLargerThanAMessageIsHalvedUntilItFits() throws Exception {
    TelemetryBatch big = BusTraffic.batch(0, 10, 40, 300); // ~160 kB
    int limit = 16 * 1024;
    List<PartitionedBatch.Message> messages = PartitionedBatch.split(big, 1, 0, limit);
    assertThat(messages.size()).isGreaterThan(big.spans().size() * 300 / limit);
    List<Span> spans = new ArrayList<>();
    for (PartitionedBatch.Message m : messages) {
      assertThat(m.value().length).isLessThanOrEqualTo(limit);
      assertThat(m.partition()).isZero();
      spans.addAll(BatchCodec.decode(m.value()).spans());
    }
    assertThat(spans).containsExactlyElementsOf(big.spans()); // in order, once each
  }

  @Test
  void aSingleRecordLargerThanAMessageIsRefusedWithWhatAndHowBig() {
    TelemetryBatch b = BusTraffic.batch(7, 1, 1, 20_000);
    Span s = b.spans().getFirst();
    assertThatThrownBy(() -> PartitionedBatch.split(b, 3, 0, 8_000))
        .isInstanceOf(BusRecordTooLargeException.class)
        .hasMessageContaining("The span " + s.spanId())
        .hasMessageContaining("of trace " + s.traceId())
        .hasMessageContaining("more than the bus's message limit of 8000 bytes")
        .hasMessageContaining("refused, not sent");
  }

  @Test
  void configRefusesWhatTheBusesPromisesRestOn() {
    assertThatThrownBy(() -> BusConfig.of(" ")).hasMessageContaining("bootstrap servers");
    assertThatThrownBy(() -> BusConfig.of("k:9092").withKafka(Map.of("acks", "1")))
        .hasMessageContaining("acks");
    assertThatThrownBy(() -> BusConfig.of("k:9092").withKafka(Map.of("enable.auto.commit", "true")))
        .hasMessageContaining("enable.auto.commit");
    assertThatThrownBy(() -> BusConfig.of("k:9092").withKafka(Map.of("max.request.size", "lots")))
        .hasMessageContaining("max.request.size");
    BusConfig c = BusConfig.of("k:9092");
    assertThat(c.topic()).isEqualTo("sightline.batches");
    assertThat(c.group()).isEqualTo("sightline-writers");
    assertThat(c.deadLetterTopic()).isEqualTo("sightline.batches.dead");
    assertThat(c.maxRequestSize()).isEqualTo(1 << 20);
  }
}
