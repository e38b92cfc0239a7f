package dev.sightline.bench;

import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.RepriceRequest;
import dev.sightline.store.RepriceResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;

/**
 * {@code sightline pricing reprice} over millions of stored calls, through the same store call the
 * command makes. The store is a copy of the summary benchmark's (built through the real write path
 * when missing), so that benchmark's data stays as it was. Two passes over every call: with a price
 * file that changes every call's price (every row and every hour's rollups rewritten: the worst
 * case), then the same again (nothing left to change: the cost of an idempotent re-run).
 */
public final class RepriceBench {

  public static void main(String[] args) throws Exception {
    long calls = Long.parseLong(arg(args, "--calls", "10000000"));
    boolean asStored = java.util.Arrays.asList(args).contains("--as-stored");
    Path dataDir = Path.of(arg(args, "--data-dir", "bench-data/reprice-" + calls + (asStored ? "-as-stored" : "")));
    Report report = new Report("reprice");
    Path db = dataDir.resolve(DuckDbStore.FILE_NAME);
    if (!Files.exists(db)) {
      Path source = Path.of("bench-data/summary-" + calls, DuckDbStore.FILE_NAME);
      if (!Files.exists(source)) {
        System.err.println("bench: building the summary benchmark's store first (" + calls + " calls)");
        SummaryBench.main(new String[] {"--calls", String.valueOf(calls), "--queries", "1"});
      }
      Files.createDirectories(dataDir);
      long t0 = System.nanoTime();
      Files.copy(source, db, StandardCopyOption.COPY_ATTRIBUTES);
      report.line(String.format("copied %s to %s in %.0f s", source, db, (System.nanoTime() - t0) / 1e9));
      if (!asStored) {
        // The summary benchmark spreads every write batch over the whole week, so each hour's calls
        // sit in every row group. Real ingest stores calls roughly in the order they start; lay the
        // copy out that way (same rows, same seq) so that re-pricing meets a realistic layout.
        t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + db); Statement st = c.createStatement()) {
          st.execute("CREATE TABLE llm_calls_by_start AS SELECT * FROM llm_calls ORDER BY start_ns");
          st.execute("DROP TABLE llm_calls");
          st.execute("ALTER TABLE llm_calls_by_start RENAME TO llm_calls");
        }
        report.line(String.format("laid the copy's calls out in start-time order in %.0f s", (System.nanoTime() - t0) / 1e9));
      }
    }
    report.line("layout: " + (asStored ? "as the summary benchmark wrote it (every hour spread over every row group)"
        : "calls in start-time order, as ingest writes them"));
    // every call of the store gets a new price: a regex over every model id, any provider
    Path change = Files.createTempFile("sightline-reprice", ".yaml");
    Files.writeString(change, """
        models:
          - regex: ".*"
            prices:
              - input: 1.00
                cacheRead: 0.10
                output: 2.00
        """);
    try (DuckDbStore store = DuckDbStore.open(dataDir)) {
      long stored = store.callCount();
      report.line(String.format("%,d stored calls in %s (%.1f GiB)", stored, db, Files.size(db) / (double) (1L << 30)));
      pass(report, store, "new price for every call", change);
      pass(report, store, "same prices again (idempotent re-run)", change);
    }
    report.save();
  }

  private static void pass(Report report, DuckDbStore store, String what, Path priceFile) {
    CostCalculator pricer = new CostCalculator(PriceCatalog.bundled().withUserFile(priceFile));
    long t0 = System.nanoTime();
    RepriceResult r = store.reprice(new RepriceRequest(Instant.EPOCH, null, null, RepriceRequest.DEFAULT_CHUNK_CALLS,
        (done, total, changed) -> System.err.printf("\r  %s: %,d / %,d calls, %,d changed, %.0f s   ", what, done, total,
            changed, (System.nanoTime() - t0) / 1e9), null), pricer::price);
    double s = (System.nanoTime() - t0) / 1e9;
    System.err.println();
    report.line(String.format("reprice (%s): %,d calls re-priced, %,d costs changed, %,d hours of rollups rebuilt"
        + " in %.1f s (%,.0f calls/s)", what, r.repriced(), r.changed(), r.hoursRolledUp(), s, r.repriced() / s));
  }

  private static String arg(String[] args, String name, String dflt) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return args[i + 1];
      }
    }
    return dflt;
  }
}
