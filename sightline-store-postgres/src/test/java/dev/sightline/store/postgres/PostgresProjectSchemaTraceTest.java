package dev.sightline.store.postgres;

import dev.sightline.store.TraceConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The trace conformance suite on PostgreSQL in a project's own schema (its tables and functions there). */
class PostgresProjectSchemaTraceTest extends TraceConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir, PostgresStore.projectSchema("team-a"));
  }
}
