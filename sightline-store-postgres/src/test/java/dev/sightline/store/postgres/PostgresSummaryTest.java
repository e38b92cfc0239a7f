package dev.sightline.store.postgres;

import dev.sightline.store.SummaryConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The summary conformance suite on PostgreSQL. */
class PostgresSummaryTest extends SummaryConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
