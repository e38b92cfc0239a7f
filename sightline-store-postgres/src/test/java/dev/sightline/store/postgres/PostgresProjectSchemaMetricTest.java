package dev.sightline.store.postgres;

import dev.sightline.store.MetricConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The metric conformance suite on PostgreSQL in a project's own schema (its tables and functions there). */
class PostgresProjectSchemaMetricTest extends MetricConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir, PostgresStore.projectSchema("team-a"));
  }
}
