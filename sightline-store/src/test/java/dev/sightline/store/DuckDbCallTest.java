package dev.sightline.store;

import java.nio.file.Path;

/** The call conformance suite on DuckDB. */
class DuckDbCallTest extends CallConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }
}
