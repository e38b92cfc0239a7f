package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Writes from the ingest bus are exactly once on every engine: a replayed message stores nothing
 * twice (across a reopen too), positions never go back, move past messages without batches, and
 * commit with the rows or not at all.
 */
public abstract class BusPositionsConformanceSuite extends StoreConformanceSuite {
  protected static final String GROUP = "writers";
  protected static final String TOPIC = "sightline.batches";

  /** The number of stored log records (the engine's own way to count them). */
  protected abstract long logCount();

  @Test
  void aReplayedMessageStoresNothingTwice() {
    List<TelemetryBatch> batches = List.of(batch(0, 20), batch(20, 20), batch(40, 20));
    BusRead read = read(List.of(at(0, 0), at(0, 1), at(1, 0)), List.of(at(0, 2), at(1, 1)));
    store.write(batches, read);
    assertThat(store.spanCount()).isEqualTo(60);
    assertThat(logCount()).isEqualTo(3);
    assertThat(store.busPositions(GROUP)).containsExactly(at(0, 2), at(1, 1));

    store.write(batches, read); // the same poll again: a writer that died before its Kafka commit
    assertThat(store.spanCount()).isEqualTo(60);
    assertThat(logCount()).isEqualTo(3);

    // a poll that overlaps the stored ones: only the new message is written
    store.write(List.of(batch(20, 20), batch(60, 10)), read(List.of(at(0, 1), at(0, 2)), List.of(at(0, 3))));
    assertThat(store.spanCount()).isEqualTo(70);
    assertThat(logCount()).isEqualTo(4);
    assertThat(store.busPositions(GROUP)).containsExactly(at(0, 3), at(1, 1));
    assertThat(store.busPositions("another-group")).isEmpty();
  }

  @Test
  void positionsSurviveAReopen() {
    store.write(List.of(batch(0, 30)), read(List.of(at(3, 7)), List.of(at(3, 8))));
    reopen();
    assertThat(store.busPositions(GROUP)).containsExactly(at(3, 8));
    store.write(List.of(batch(0, 30), batch(30, 5)), read(List.of(at(3, 7), at(3, 8)), List.of(at(3, 9))));
    assertThat(store.spanCount()).isEqualTo(35);
    assertThat(store.busPositions(GROUP)).containsExactly(at(3, 9));
  }

  @Test
  void positionsMoveOnlyForwardAndPastMessagesWithoutBatches() {
    // a dead-lettered message carries no batch but its position is passed
    store.write(List.of(), read(List.of(), List.of(at(0, 5))));
    assertThat(store.busPositions(GROUP)).containsExactly(at(0, 5));
    store.write(List.of(batch(0, 4)), read(List.of(at(0, 2)), List.of(at(0, 3))));
    assertThat(store.spanCount()).isZero();
    assertThat(store.busPositions(GROUP)).containsExactly(at(0, 5));
  }

  @Test
  void consumerGroupsKeepTheirOwnPositions() {
    store.write(List.of(batch(0, 3)), read(List.of(at(0, 0)), List.of(at(0, 1))));
    store.write(List.of(batch(3, 2)), new BusRead("archive", List.of(at(0, 0)), List.of(at(0, 1))));
    assertThat(store.spanCount()).isEqualTo(5);
    assertThat(store.busPositions("archive")).containsExactly(at(0, 1));
  }

  @Test
  void aFailedWriteStoresNeitherRowsNorPositions() {
    Span bad = span(null, 1);
    List<TelemetryBatch> batches = List.of(batch(0, 10), TelemetryBatch.ofSpans("test", List.of(bad)));
    assertThatThrownBy(() -> store.write(batches, read(List.of(at(0, 0), at(0, 1)), List.of(at(0, 2)))))
        .isInstanceOf(RuntimeException.class).hasMessageContaining("no trace id");
    assertThat(store.spanCount()).isZero();
    assertThat(store.busPositions(GROUP)).isEmpty();
    store.write(List.of(batch(0, 10)), read(List.of(at(0, 0)), List.of(at(0, 1))));
    assertThat(store.spanCount()).isEqualTo(10);
  }

  @Test
  void aReadNeedsOneOriginPerBatchAndPositionsPastThem() {
    assertThatThrownBy(() -> store.write(List.of(batch(0, 1)), read(List.of(), List.of(at(0, 1)))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one origin per batch");
    assertThatThrownBy(() -> read(List.of(at(0, 4)), List.of(at(0, 4), at(1, 9))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must pass");
    assertThat(store.spanCount()).isZero();
    assertThat(store.busPositions(GROUP)).isEmpty();
  }

  protected static BusPosition at(int partition, long offset) {
    return new BusPosition(TOPIC, partition, offset);
  }

  protected static BusRead read(List<BusPosition> origins, List<BusPosition> next) {
    return new BusRead(GROUP, origins, next);
  }

  /** {@code n} one-span traces numbered from {@code first} (so spread over writer lanes) and one log. */
  protected static TelemetryBatch batch(int first, int n) {
    List<Span> spans = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      spans.add(span(String.format("%032x", i + 1), i + 1));
    }
    LogRecord log = new LogRecord(T0 + first, T0 + first, null, null, 9, "INFO", null, "log " + first,
        "svc", "scope", Map.of(), Map.of());
    return new TelemetryBatch("test", spans, List.of(log), List.of(), List.of());
  }

  private static Span span(String trace, int n) {
    long start = T0 + n * MS;
    return new Span(trace, String.format("%016x", n), null, "op", SpanKind.INTERNAL, start, start + MS / 2,
        SpanStatus.OK, null, "svc", "scope", Map.of(), Map.of(), List.of(), SpanCategory.OTHER, null, List.of());
  }
}
