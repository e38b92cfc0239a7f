package dev.sightline.store;

import java.nio.file.Path;

/** The trace conformance suite on DuckDB. */
class DuckDbTraceTest extends TraceConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }
}
