package dev.sightline.store;

import java.nio.file.Path;

/** The cost conformance suite on DuckDB. */
class DuckDbCostTest extends CostConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }
}
