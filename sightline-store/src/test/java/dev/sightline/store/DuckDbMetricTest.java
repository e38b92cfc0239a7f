package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The metric conformance suite on DuckDB, plus the schema upgrade that adds the delta column. */
class DuckDbMetricTest extends MetricConformanceSuite {

  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }

  private static List<String> deltaColumn(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT column_name FROM information_schema.columns"
            + " WHERE table_name = 'metric_points' AND column_name = 'delta'")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void aDataDirectoryOfThePreviousSchemaGetsTheDeltaColumnInPlace() throws Exception {
    store.close();
    store = null;
    Path old = dir.resolve("v5");
    try (DuckDbStore v5 = DuckDbStore.open(old, new DuckDbStore.Tuning(1_000_000, 0, 5, 10))) {
      v5.write(List.of(TelemetryBatch.ofMetrics("test", List.of(counter("c", Map.of(), 10, 100, 0),
          counter("c", Map.of(), 50, 150, 0)))));
    }
    assertThat(deltaColumn(old.resolve(DuckDbStore.FILE_NAME))).isEmpty();

    store = DuckDbStore.open(old);
    // the points stored before read as cumulative: 150 - 100
    assertValues(one(query("c", "increase")), at(0), 50);
    MetricPoint d = deltaCounter("d", 0, 20, 7);
    write(d, deltaCounter("d", 20, 30, 3));
    assertValues(one(query("d", "increase")), at(0), 10);
    store.close();
    store = null;
    assertThat(deltaColumn(old.resolve(DuckDbStore.FILE_NAME))).containsExactly("delta");
  }
}
