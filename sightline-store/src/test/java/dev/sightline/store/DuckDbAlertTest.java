package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The alert conformance suite on DuckDB, plus the schema upgrade that adds the alert tables. */
class DuckDbAlertTest extends AlertConformanceSuite {

  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }

  private static List<String> alertTables(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables"
            + " WHERE table_name LIKE 'alert%' ORDER BY table_name")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void aDataDirectoryOfThePreviousSchemaGetsTheAlertTablesInPlace() throws Exception {
    store.close();
    store = null;
    Path old = dir.resolve("v6");
    try (DuckDbStore v6 = DuckDbStore.open(old, new DuckDbStore.Tuning(1_000_000, 0, 6, 10))) {
      v6.write(List.of(new dev.sightline.model.TelemetryBatch("test",
          List.of(ScoreConformanceSuite.callSpan(1, "/chat", StoreConformanceSuite.T0)), List.of(), List.of(),
          List.of())));
    }
    assertThat(alertTables(old.resolve(DuckDbStore.FILE_NAME))).isEmpty();

    store = DuckDbStore.open(old);
    assertThat(store.callCount()).isEqualTo(1);
    assertThat(store.rules()).isEmpty();
    store.saveRule(new StoredRule("r", "{}", T));
    store.appendAlerts(List.of(rec("r", null, null, "firing", 0, "3.5")));
    assertThat(store.alertHistory(new AlertHistoryQuery("r", null, null, null, 5))).hasSize(1);
    store.close();
    store = null;
    assertThat(alertTables(old.resolve(DuckDbStore.FILE_NAME))).containsExactly("alert_events", "alert_rules");
  }
}
