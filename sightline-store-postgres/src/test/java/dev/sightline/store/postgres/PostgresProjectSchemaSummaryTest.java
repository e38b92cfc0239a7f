package dev.sightline.store.postgres;

import dev.sightline.store.SummaryConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The summary conformance suite on PostgreSQL in a project's own schema (its tables and functions there). */
class PostgresProjectSchemaSummaryTest extends SummaryConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir, PostgresStore.projectSchema("team-a"));
  }
}
