package dev.sightline.store;

import static dev.sightline.store.StoreConformanceSuite.T0;
import static dev.sightline.store.StoreConformanceSuite.MS;
import static dev.sightline.store.StoreConformanceSuite.spanId;
import static dev.sightline.store.StoreConformanceSuite.traceId;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.Score;
import dev.sightline.model.TelemetryBatch;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The score conformance suite on DuckDB, plus the schema upgrade that adds the scores table. */
class DuckDbScoreTest extends ScoreConformanceSuite {

  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }

  private static List<String> tables(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT table_name FROM information_schema.tables ORDER BY table_name")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Test
  void aDataDirectoryOfThePreviousSchemaGetsTheScoresTableInPlace() throws Exception {
    store.close();
    store = null;
    Path old = dir.resolve("v4");
    try (DuckDbStore v4 = DuckDbStore.open(old, new DuckDbStore.Tuning(1_000_000, 0, 4, 10))) {
      // a v4 writer leaves scores out: it has nowhere to put them
      v4.write(List.of(new TelemetryBatch("test", List.of(callSpan(1, "/chat", T0)), List.of(), List.of(),
          List.of(score(1, "groundedness", 0.1, "lost", true, "1", T0)))));
    }
    assertThat(tables(old.resolve(DuckDbStore.FILE_NAME))).doesNotContain("scores");

    store = DuckDbStore.open(old);
    assertThat(store.callCount()).isEqualTo(1);
    assertThat(store.scores(traceId(1), spanId(1))).isEmpty();
    Score s = score(1, "groundedness", 0.9, "supported", false, "2", T0 + MS);
    writeScores(s);
    assertThat(store.scores(traceId(1), spanId(1))).containsExactly(s);
    assertThat(store.quality(new QualityQuery(GroupBy.ROUTE, null, null, null, null)))
        .containsExactly(new QualityRow("/chat", "groundedness", 1, 0, 0, 0.0, 0.9));
    store.close();
    store = null;
    assertThat(tables(old.resolve(DuckDbStore.FILE_NAME))).contains("scores", "llm_calls");
  }
}
