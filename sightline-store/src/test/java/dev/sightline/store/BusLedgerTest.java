package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-lane bus positions of DuckDB's writer: a write whose lanes did not all commit is replayed
 * exactly (the committed lane skips, the failed lane re-stores), and positions survive a reload.
 */
class BusLedgerTest {
  private static final String G = "writers";
  private Connection c;

  @BeforeEach
  void open() throws Exception {
    c = DriverManager.getConnection("jdbc:duckdb:");
    try (Statement s = c.createStatement()) {
      for (String sql : Schema.MIGRATIONS.get(7).statements()) {
        s.execute(sql);
      }
    }
  }

  @AfterEach
  void close() throws Exception {
    c.close();
  }

  @Test
  void aLaneWhoseCommitFailedReStoresItsShareAndTheOtherSkips() throws Exception {
    BusLedger ledger = new BusLedger(2);
    BusRead read = new BusRead(G, List.of(at(0, 4)), List.of(at(0, 5)));
    Map<BusLedger.Key, Long> lane0 = ledger.advances(0, read);
    Map<BusLedger.Key, Long> lane1 = ledger.advances(1, read);
    ledger.save(c, 0, lane0);
    ledger.committed(0, lane0); // lane 1's commit failed: its positions stay where they were
    assertThat(ledger.stored(0, G, at(0, 4))).isTrue();
    assertThat(ledger.stored(1, G, at(0, 4))).isFalse();
    assertThat(ledger.positions(G)).as("read again from where lane 1 is").containsExactly(at(0, 0));

    ledger.save(c, 1, lane1);
    ledger.committed(1, lane1);
    assertThat(ledger.positions(G)).containsExactly(at(0, 5));

    BusLedger reloaded = new BusLedger(2);
    reloaded.load(c);
    assertThat(reloaded.positions(G)).containsExactly(at(0, 5));
    assertThat(reloaded.stored(1, G, at(0, 4))).isTrue();
    assertThat(reloaded.stored(1, G, at(0, 5))).isFalse();
  }

  @Test
  void positionsNeverGoBackAndGroupsAreApart() {
    BusLedger ledger = new BusLedger(1);
    ledger.committed(0, ledger.advances(0, new BusRead(G, List.of(), List.of(at(0, 9), at(1, 3)))));
    assertThat(ledger.advances(0, new BusRead(G, List.of(), List.of(at(0, 7), at(1, 4)))))
        .containsExactly(Map.entry(new BusLedger.Key(G, "t", 1), 4L));
    assertThat(ledger.positions("other")).isEmpty();
    assertThat(ledger.stored(0, "other", at(0, 1))).isFalse();
  }

  @Test
  void anotherLaneCountStartsEveryLaneAtTheLowestAndRewritesTheRows() throws Exception {
    BusLedger two = new BusLedger(2);
    Map<BusLedger.Key, Long> a = two.advances(0, new BusRead(G, List.of(), List.of(at(0, 8))));
    Map<BusLedger.Key, Long> b = two.advances(1, new BusRead(G, List.of(), List.of(at(0, 6))));
    two.save(c, 0, a);
    two.save(c, 1, b);
    BusLedger three = new BusLedger(3);
    three.load(c);
    assertThat(three.positions(G)).containsExactly(at(0, 6));
    for (int lane = 0; lane < 3; lane++) {
      assertThat(three.stored(lane, G, at(0, 5))).isTrue();
      assertThat(three.stored(lane, G, at(0, 6))).isFalse();
    }
    try (Statement s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*), min(lanes), max(lanes), min(next_offset) FROM bus_positions")) {
      rs.next();
      assertThat(List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4))).containsExactly(3L, 3L, 3L, 6L);
    }
  }

  private static BusPosition at(int partition, long offset) {
    return new BusPosition("t", partition, offset);
  }
}
