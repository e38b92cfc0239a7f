package dev.sightline.store;

import java.nio.file.Path;

/**
 * The re-pricing conformance suite on DuckDB, rolling calls up every 25 calls and reading every
 * summary's scalars from the rollups (exact limit 0): 50 of the fixture's 60 calls are rolled up
 * when a run starts, 10 are not, so both the rebuilt hours and the calls above the watermark count.
 */
class DuckDbRepricingTest extends RepricingConformanceSuite {
  @Override
  protected Store openStore(Path dir) {
    return DuckDbStore.open(dir, new DuckDbStore.Tuning(25, 0, Schema.latestVersion(), 1_000));
  }
}
