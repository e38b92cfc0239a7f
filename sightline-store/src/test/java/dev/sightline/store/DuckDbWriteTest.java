package dev.sightline.store;

import java.nio.file.Path;

/** The write conformance suite on DuckDB. */
class DuckDbWriteTest extends WriteConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }
}
