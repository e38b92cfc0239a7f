package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The retention suite on DuckDB, rolling every write into the hourly rollups (with histogram
 * percentiles) so that deleting an hour's calls is checked against its rollup rows too.
 */
class DuckDbRetentionTest extends RetentionConformanceSuite {

  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir, new DuckDbStore.Tuning(1, 0, Schema.latestVersion(), 10));
  }

  @Test
  void deletedHoursLeaveNoRollupRowsAndTheDeletesAreCheckpointed() throws Exception {
    // enough rows that the deleted ones fill whole blocks
    List<Span> spans = new ArrayList<>();
    long old = 0;
    for (int i = 0; i < 20_000; i++) {
      int n = 1 + i * 6 / 20_000; // time-ordered, as ingest writes them
      old += n <= 3 ? 1 : 0;
      Span s = plainSpan(n);
      spans.add(new Span(StoreConformanceSuite.traceId(100 + i), s.spanId(), null, s.name(), s.kind(),
          s.startEpochNanos(), s.endEpochNanos(), s.status(), null, s.service(), s.scopeName(),
          Map.of("payload", "x".repeat(200) + i), Map.of(), List.of(), s.category(), null, List.of()));
    }
    store.write(List.of(TelemetryBatch.ofSpans("test", spans)));
    fill();
    DuckDbStore duck = (DuckDbStore) store;
    try (var st = duck.writerForTests().createStatement()) {
      st.execute("CHECKPOINT"); // the rows in blocks, as after a while of ingest
    }
    assertThat(rollupHours(duck)).anyMatch(h -> h < CUT_FLOOR);

    RetentionResult r = store.applyRetention(CUTOFF, null);

    assertThat(r.checkpointed()).isTrue();
    assertThat(r.deleted("call_rollup")).isPositive();
    assertThat(rollupHours(duck)).isNotEmpty().allMatch(h -> h >= CUT_FLOOR);
    assertThat(r.deleted("spans")).isEqualTo(old + 6);
    StoreDiskUsage u = store.diskUsage();
    assertThat(u.freeBlocks()).isBetween(0L, u.totalBlocks());
    assertThat(u.walBytes()).isZero(); // the checkpoint folded the deletes into the file
    assertThat(u.fileBytes()).isEqualTo(Files.size(duck.file()));
    assertThat(u.tables()).filteredOn(t -> t.table().equals("spans")).singleElement()
        .matches(t -> t.estimatedBytes() > 0 && t.estimatedBytes() <= u.fileBytes());
  }

  private static List<Long> rollupHours(DuckDbStore s) throws Exception {
    List<Long> out = new ArrayList<>();
    try (var st = s.writerForTests().createStatement();
        var rs = st.executeQuery("SELECT hour_ns FROM call_rollup UNION ALL SELECT hour_ns FROM call_rollup_hist")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    }
    return out;
  }
}
