package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes from the ingest bus are exactly once: a replayed message stores nothing twice, in every
 * writer lane, across a reopen and a change of the lane count, and positions never go back.
 */
class DuckDbBusPositionsTest {
  private static final String GROUP = "writers";
  private static final String TOPIC = "sightline.batches";

  @TempDir Path dir;

  @Test
  void aReplayedMessageStoresNothingTwiceInAnyLane() {
    try (DuckDbStore store = open(2)) {
      List<TelemetryBatch> batches = List.of(batch(0, 20), batch(20, 20), batch(40, 20));
      BusRead read = read(List.of(at(0, 0), at(0, 1), at(1, 0)), List.of(at(0, 2), at(1, 1)));
      store.write(batches, read);
      assertThat(store.spanCount()).isEqualTo(60);
      assertThat(logCount(store)).isEqualTo(3);
      assertThat(store.busPositions(GROUP)).containsExactly(at(0, 2), at(1, 1));

      store.write(batches, read); // the same poll again: a writer that died before its Kafka commit
      assertThat(store.spanCount()).isEqualTo(60);
      assertThat(logCount(store)).isEqualTo(3);

      // a poll that overlaps the stored ones: only the new message is written
      store.write(List.of(batch(20, 20), batch(60, 10)), read(List.of(at(0, 1), at(0, 2)), List.of(at(0, 3))));
      assertThat(store.spanCount()).isEqualTo(70);
      assertThat(logCount(store)).isEqualTo(4);
      assertThat(store.busPositions(GROUP)).containsExactly(at(0, 3), at(1, 1));
      assertThat(store.busPositions("another-group")).isEmpty();
    }
  }

  @Test
  void positionsSurviveAReopenAndAChangeOfLaneCount() {
    try (DuckDbStore store = open(2)) {
      store.write(List.of(batch(0, 30)), read(List.of(at(3, 7)), List.of(at(3, 8))));
    }
    try (DuckDbStore store = open(2)) {
      assertThat(store.busPositions(GROUP)).containsExactly(at(3, 8));
      store.write(List.of(batch(0, 30)), read(List.of(at(3, 7)), List.of(at(3, 8))));
      assertThat(store.spanCount()).isEqualTo(30);
    }
    try (DuckDbStore store = open(1)) {
      assertThat(store.busPositions(GROUP)).containsExactly(at(3, 8));
      store.write(List.of(batch(0, 30), batch(30, 5)), read(List.of(at(3, 7), at(3, 8)), List.of(at(3, 9))));
      assertThat(store.spanCount()).isEqualTo(35);
    }
    try (DuckDbStore store = open(3)) {
      store.write(List.of(batch(30, 5)), read(List.of(at(3, 8)), List.of(at(3, 9))));
      assertThat(store.spanCount()).isEqualTo(35);
      assertThat(store.busPositions(GROUP)).containsExactly(at(3, 9));
    }
  }

  @Test
  void positionsMoveOnlyForwardAndPastMessagesWithoutBatches() {
    try (DuckDbStore store = open(2)) {
      // a dead-lettered message carries no batch but its position is passed
      store.write(List.of(), read(List.of(), List.of(at(0, 5))));
      assertThat(store.busPositions(GROUP)).containsExactly(at(0, 5));
      store.write(List.of(batch(0, 4)), read(List.of(at(0, 2)), List.of(at(0, 3))));
      assertThat(store.spanCount()).isZero();
      assertThat(store.busPositions(GROUP)).containsExactly(at(0, 5));
    }
  }

  @Test
  void aFailedWriteStoresNeitherRowsNorPositions() {
    try (DuckDbStore store = open(2)) {
      Span bad = span(null, 1);
      List<TelemetryBatch> batches = List.of(batch(0, 10), TelemetryBatch.ofSpans("test", List.of(bad)));
      assertThatThrownBy(() -> store.write(batches, read(List.of(at(0, 0), at(0, 1)), List.of(at(0, 2)))))
          .isInstanceOf(StoreException.class).hasMessageContaining("no trace id");
      assertThat(store.spanCount()).isZero();
      assertThat(store.busPositions(GROUP)).isEmpty();
      store.write(List.of(batch(0, 10)), read(List.of(at(0, 0)), List.of(at(0, 1))));
      assertThat(store.spanCount()).isEqualTo(10);
    }
  }

  @Test
  void aReadNeedsOneOriginPerBatch() {
    try (DuckDbStore store = open(2)) {
      assertThatThrownBy(() -> store.write(List.of(batch(0, 1)), read(List.of(), List.of(at(0, 1)))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one origin per batch");
    }
  }

  private DuckDbStore open(int lanes) {
    return DuckDbStore.open(dir, new DuckDbStore.Tuning(100_000, 50_000, Schema.latestVersion(), 200_000,
        Upkeep.WAL_CHECKPOINT, lanes));
  }

  private static BusPosition at(int partition, long offset) {
    return new BusPosition(TOPIC, partition, offset);
  }

  private static BusRead read(List<BusPosition> origins, List<BusPosition> next) {
    return new BusRead(GROUP, origins, next);
  }

  /** {@code n} one-span traces numbered from {@code first} (so spread over the lanes) and one log. */
  private static TelemetryBatch batch(int first, int n) {
    List<Span> spans = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      spans.add(span(String.format("%032x", i + 1), i + 1));
    }
    LogRecord log = new LogRecord(1_000L + first, 1_000L + first, null, null, 9, "INFO", null, "log " + first,
        "svc", "scope", Map.of(), Map.of());
    return new TelemetryBatch("test", spans, List.of(log), List.of(), List.of());
  }

  private static Span span(String trace, int n) {
    long start = 1_700_000_000_000_000_000L + n * 1_000_000L;
    return new Span(trace, String.format("%016x", n), null, "op", SpanKind.INTERNAL, start, start + 500_000,
        SpanStatus.OK, null, "svc", "scope", Map.of(), Map.of(), List.of(), SpanCategory.OTHER, null, List.of());
  }

  private static long logCount(DuckDbStore store) {
    try (var c = store.writerForTests().duplicate(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM logs")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
