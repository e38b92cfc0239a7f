package dev.sightline.server;

import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.pricing.PriceFileException;
import dev.sightline.server.config.ConfigException;
import dev.sightline.server.config.ClusterConfig;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.Store;
import dev.sightline.store.postgres.PostgresStore;
import dev.sightline.store.RepriceRequest;
import dev.sightline.store.RepriceResult;
import dev.sightline.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sightline pricing reprice}: prices stored calls again with the current prices (the bundled
 * catalog and the price file), after a price change. Runs against a stopped server's data directory.
 */
@Command(name = "reprice", mixinStandardHelpOptions = true,
    description = {"Compute the stored cost of LLM calls again with the current prices (bundled catalog + "
        + "--pricing-file), from each call's stored tokens, provider, model, service tier and start time. Only costs "
        + "that change are written, with the summary rollups of their hours. Commits every few hours of calls: "
        + "safe to interrupt (Ctrl-C) and to run again. Stop the server that uses the data directory first (with"
        + " --store postgres://… the servers may keep running)."})
final class RepriceCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(RepriceCommand.class);
  private static final Pattern RELATIVE = Pattern.compile("-(\\d{1,9})(m|h|d|w)");

  @Option(names = "--since", required = true, paramLabel = "TIME",
      description = "Re-price calls that started at or after TIME: 2026-03-01 (midnight UTC), 2026-03-01T09:00:00Z, "
          + "or relative such as -7d, -12h.")
  String since;

  @Option(names = "--until", paramLabel = "TIME", description = "…and before TIME (default: no end).")
  String until;

  @Option(names = "--model", paramLabel = "NAME",
      description = "Only calls whose request or response model is NAME (case-insensitive).")
  String model;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "The data directory of the stopped server (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_DATA_DIR.")
  Path dataDir;

  @Option(names = "--store", paramLabel = "duckdb|postgres://…", defaultValue = "duckdb",
      description = "The store to re-price: duckdb (default: the database in --data-dir) or the shared PostgreSQL"
          + " database of a scaled-out deployment (docs/scale-out.md). Env: SIGHTLINE_STORE.")
  String store;

  @Option(names = "--project", paramLabel = "NAME", defaultValue = "default",
      description = "With --store postgres://…: the project whose calls are re-priced (default: ${DEFAULT-VALUE}).")
  String project;

  @Option(names = "--pricing-file", paramLabel = "FILE",
      description = "Your price file (YAML or JSON, docs/pricing.md) over the bundled catalog. Env: SIGHTLINE_PRICING_FILE.")
  Path pricingFile;

  @Option(names = "--chunk-calls", paramLabel = "N", defaultValue = "" + RepriceRequest.DEFAULT_CHUNK_CALLS, hidden = true,
      description = "About how many calls each committed chunk holds (whole hours).")
  int chunkCalls;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Instant now = Instant.now();
    Instant from = time("--since", since, now);
    Instant to = until == null ? null : time("--until", until, now);
    if (to != null && !to.isAfter(from)) {
      throw new ConfigException("--until (" + to + ") must be after --since (" + from + ")");
    }
    PriceCatalog catalog = PriceCatalog.bundled();
    if (pricingFile != null) {
      try {
        catalog = catalog.withUserFile(pricingFile);
      } catch (PriceFileException e) {
        throw new ConfigException("the price file is invalid (--pricing-file); nothing was re-priced:\n" + e.getMessage());
      }
    }
    CostCalculator pricer = new CostCalculator(catalog);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ClusterConfig where = new ClusterConfig(java.util.EnumSet.allOf(ClusterConfig.Role.class), null, null, store);
    Store target;
    String place;
    if (where.storeUrl() != null) {
      try {
        target = PostgresStore.open(where.storeUrl(), PostgresStore.DEFAULT_POOL_SIZE, PostgresStore.projectSchema(project));
      } catch (RuntimeException e) {
        throw new ConfigException("cannot open the PostgreSQL store " + where.storeLabel() + " to re-price it: "
            + e.getMessage());
      }
      place = where.storeLabel() + " (project " + project + ")";
    } else {
      target = openDuckDb();
      place = dataDir.resolve(DuckDbStore.FILE_NAME).toAbsolutePath().toString();
    }

    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.set(true); // Ctrl-C: finish the chunk in progress, then stop; what is committed stays
      try {
        finished.await(5, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "sightline-reprice-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    String what = "calls from " + from + (to == null ? "" : " to " + to) + (model == null ? "" : " of model '" + model + "'");
    LOG.info("re-pricing {} in {} with the bundled catalog{}", what, place,
        pricingFile == null ? "" : " and " + pricingFile);
    ProgressBar bar = new ProgressBar(err);
    long t0 = System.nanoTime();
    RepriceResult result;
    try {
      result = target.reprice(new RepriceRequest(from, to, model, chunkCalls, bar::update, stop::get), pricer::price);
    } finally {
      target.close();
      bar.finish();
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already (Ctrl-C): the hook is running and has just been released
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    String summary = String.format("re-priced %,d of %,d %s: %,d costs changed (%,d hours of summary rollups rebuilt)"
        + " in %.1f s", result.repriced(), result.matched(), what, result.changed(), result.hoursRolledUp(), seconds);
    LOG.info(summary);
    out.println(summary);
    if (!result.complete()) {
      out.println("interrupted: the calls re-priced so far are saved; run the same command again to finish"
          + " (calls already re-priced are left as they are)");
      out.flush();
      return 130;
    }
    out.flush();
    return 0;
  }

  /** An ISO-8601 time, a date (midnight UTC), or relative to now (-7d). */
  private DuckDbStore openDuckDb() {
    Path db = dataDir.resolve(DuckDbStore.FILE_NAME);
    if (!Files.isRegularFile(db)) {
      throw new ConfigException("there is no Sightline database at " + db.toAbsolutePath()
          + ": point --data-dir (or SIGHTLINE_DATA_DIR) at the data directory the server uses");
    }
    try {
      return DuckDbStore.open(dataDir);
    } catch (StoreException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("locked") || msg.contains("already open")) {
        throw new ConfigException("cannot re-price while a Sightline server (or another process) has the database open."
            + " Stop the server that uses " + dataDir.toAbsolutePath() + ", run reprice, then start the server again."
            + " (" + e.getMessage() + ")");
      }
      throw new ConfigException("cannot open the database to re-price it: " + e.getMessage());
    }
  }

  static Instant time(String option, String value, Instant now) {
    String v = value.trim();
    Matcher m = RELATIVE.matcher(v);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      Duration d = switch (m.group(2)) {
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofDays(7 * n);
      };
      return now.minus(d);
    }
    try {
      return v.length() == 10 ? LocalDate.parse(v).atStartOfDay().toInstant(ZoneOffset.UTC) : OffsetDateTime.parse(v).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException(option + " must be a date such as 2026-03-01 (midnight UTC), a time with its zone such as"
          + " 2026-03-01T09:00:00Z, or relative to now such as -7d or -12h; got '" + value + "'");
    }
  }

  /** A progress bar on stderr, redrawn in place on a terminal; a line per 10% otherwise. */
  private static final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal = System.console() != null;
    private final long t0 = System.nanoTime();
    private int lastTenth = -1;
    private boolean drawn;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    void update(long done, long total, long changed) {
      double f = total == 0 ? 1 : (double) done / total;
      double s = (System.nanoTime() - t0) / 1e9;
      String eta = done == 0 || done >= total ? "" : String.format(", ~%.0f s left", s * (total - done) / done);
      int filled = (int) Math.round(f * WIDTH);
      String line = String.format("re-pricing [%s%s] %3.0f%% %,d / %,d calls, %,d changed, %.0f s%s",
          "#".repeat(filled), ".".repeat(WIDTH - filled), f * 100, done, total, changed, s, eta);
      if (terminal) {
        err.print("\r" + line + "   ");
        drawn = true;
      } else if ((int) (f * 10) > lastTenth) {
        lastTenth = (int) (f * 10);
        err.println(line);
      }
      err.flush();
    }

    void finish() {
      if (drawn) {
        err.println();
        err.flush();
      }
    }
  }
}
