package dev.sightline.store.postgres;

import dev.sightline.store.WriteConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The write conformance suite on PostgreSQL. */
class PostgresWriteTest extends WriteConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
