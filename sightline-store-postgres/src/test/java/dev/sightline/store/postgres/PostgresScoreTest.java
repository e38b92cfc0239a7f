package dev.sightline.store.postgres;

import dev.sightline.store.ScoreConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The score conformance suite on PostgreSQL. */
class PostgresScoreTest extends ScoreConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
