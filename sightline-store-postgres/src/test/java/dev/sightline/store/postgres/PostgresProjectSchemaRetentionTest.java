package dev.sightline.store.postgres;

import dev.sightline.store.RetentionConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The retention conformance suite on PostgreSQL in a project's own schema (its day partitions there). */
class PostgresProjectSchemaRetentionTest extends RetentionConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir, PostgresStore.projectSchema("team-a"));
  }
}
