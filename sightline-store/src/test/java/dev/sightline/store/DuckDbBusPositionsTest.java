package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bus positions conformance suite on DuckDB with two writer lanes, and what only DuckDB has:
 * positions per lane that survive a change of the lane count.
 */
class DuckDbBusPositionsTest extends BusPositionsConformanceSuite {

  @Override
  protected Store openStore(Path dir) {
    return open(dir, 2);
  }

  @Override
  protected long logCount() {
    try (var c = ((DuckDbStore) store).writerForTests().duplicate(); var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM logs")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void positionsSurviveAChangeOfLaneCount() {
    store.close();
    store = null;
    try (DuckDbStore s = open(dir, 2)) {
      s.write(List.of(batch(0, 30)), read(List.of(at(3, 7)), List.of(at(3, 8))));
    }
    try (DuckDbStore s = open(dir, 1)) {
      assertThat(s.busPositions(GROUP)).containsExactly(at(3, 8));
      s.write(List.of(batch(0, 30), batch(30, 5)), read(List.of(at(3, 7), at(3, 8)), List.of(at(3, 9))));
      assertThat(s.spanCount()).isEqualTo(35);
    }
    try (DuckDbStore s = open(dir, 3)) {
      s.write(List.of(batch(30, 5)), read(List.of(at(3, 8)), List.of(at(3, 9))));
      assertThat(s.spanCount()).isEqualTo(35);
      assertThat(s.busPositions(GROUP)).containsExactly(at(3, 9));
    }
  }

  private static DuckDbStore open(Path dir, int lanes) {
    return DuckDbStore.open(dir, new DuckDbStore.Tuning(100_000, 50_000, Schema.latestVersion(), 200_000,
        Upkeep.WAL_CHECKPOINT, lanes));
  }
}
