package dev.sightline.store.postgres;

import dev.sightline.store.CostConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The cost conformance suite on PostgreSQL. */
class PostgresCostTest extends CostConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
