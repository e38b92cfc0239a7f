package dev.sightline.store.postgres;

import dev.sightline.store.AlertConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The alert conformance suite on PostgreSQL. */
class PostgresAlertTest extends AlertConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
