package dev.sightline.store.postgres;

import dev.sightline.store.ConnectedViewConformanceSuite;
import dev.sightline.store.Store;
import java.nio.file.Path;

/** The connected-view conformance suite (service map, real users, resource attributes) on PostgreSQL. */
class PostgresConnectedViewTest extends ConnectedViewConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return PgDatabases.open(dir);
  }
}
