package dev.sightline.store.postgres;

import dev.sightline.store.CallConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The call conformance suite on PostgreSQL. */
class PostgresCallTest extends CallConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
