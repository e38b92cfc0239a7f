package dev.sightline.store;

import java.nio.file.Path;

/** The connected-view conformance suite (service map, real users, resource attributes) on DuckDB. */
class DuckDbConnectedViewTest extends ConnectedViewConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }
}
