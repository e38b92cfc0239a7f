package dev.sightline.store;

import java.nio.file.Path;

/** The summary conformance suite on DuckDB. */
class DuckDbSummaryTest extends SummaryConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir);
  }
}
