package dev.sightline.store.postgres;

import dev.sightline.store.RetentionConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The retention conformance suite on PostgreSQL. */
class PostgresRetentionTest extends RetentionConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
