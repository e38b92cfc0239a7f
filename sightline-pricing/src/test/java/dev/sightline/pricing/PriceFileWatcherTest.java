package dev.sightline.pricing;

import static dev.sightline.pricing.Fixtures.usage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sightline.model.LlmCall;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Editing the price file changes prices without a restart; a broken edit changes nothing. */
class PriceFileWatcherTest {

  @TempDir
  Path dir;

  /** Records what the watcher reports. */
  static final class Heard implements PriceFileWatcher.Listener {
    final List<PriceCatalog> reloads = new CopyOnWriteArrayList<>();
    final List<List<PriceFileError>> rejections = new CopyOnWriteArrayList<>();

    @Override
    public void reloaded(Path file, PriceCatalog catalog) {
      reloads.add(catalog);
    }

    @Override
    public void rejected(Path file, List<PriceFileError> errors) {
      rejections.add(errors);
    }
  }

  private static String file(String input) {
    return "models:\n  - name: acme\n    prices:\n      - input: " + input + "\n        output: 1\n";
  }

  private static LlmCall call() {
    // 1,000,000 input tokens: the cost in USD is the file's input price
    return Fixtures.call(null, "acme", usage(1_000_000, 0, 0, 0, 0, 0));
  }

  @Test
  void aValidEditIsSwappedInAndABrokenOneKeepsThePricesInForce() throws IOException {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, file("1.00"));
    Heard heard = new Heard();
    try (PriceFileWatcher watcher = PriceFileWatcher.start(PriceCatalog.bundled(), file, Duration.ofHours(1), heard)) {
      CostCalculator calculator = new CostCalculator(watcher);
      assertThat(calculator.price(call()).cost().totalUsd()).isEqualByComparingTo("1");
      assertThat(watcher.checkNow()).as("unchanged").isFalse();

      Files.writeString(file, file("2.00"));
      assertThat(watcher.checkNow()).isTrue();
      assertThat(heard.reloads).containsExactly(watcher.get());
      assertThat(calculator.price(call()).cost().totalUsd()).isEqualByComparingTo("2");

      // a broken edit: reported with its line, once; the $2 price stays
      Files.writeString(file, file("-3.00"));
      assertThat(watcher.checkNow()).isFalse();
      assertThat(watcher.checkNow()).isFalse();
      assertThat(heard.rejections).singleElement().satisfies(errors -> assertThat(errors)
          .singleElement().satisfies(e -> {
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.message()).contains("negative price -3.00");
          }));
      assertThat(calculator.price(call()).cost().totalUsd()).isEqualByComparingTo("2");

      // the file goes away for a moment: reported once, prices stay
      Files.delete(file);
      assertThat(watcher.checkNow()).isFalse();
      assertThat(watcher.checkNow()).isFalse();
      assertThat(heard.rejections).hasSize(2);
      assertThat(heard.rejections.get(1).get(0).message()).contains("cannot read the file");
      assertThat(calculator.price(call()).cost().totalUsd()).isEqualByComparingTo("2");

      // fixed
      Files.writeString(file, file("3.00"));
      assertThat(watcher.checkNow()).isTrue();
      assertThat(calculator.price(call()).cost().totalUsd()).isEqualByComparingTo("3");
      assertThat(heard.reloads).hasSize(2);
    }
  }

  @Test
  void theTimerPicksUpAnEdit() throws Exception {
    Path file = dir.resolve("prices.json");
    Files.writeString(file, "{\"models\": [{\"name\": \"acme\", \"prices\": [{\"input\": 1, \"output\": 1}]}]}");
    Heard heard = new Heard();
    try (PriceFileWatcher watcher = PriceFileWatcher.start(PriceCatalog.bundled(), file, Duration.ofMillis(20), heard)) {
      Files.writeString(file, "{\"models\": [{\"name\": \"acme\", \"prices\": [{\"input\": 5, \"output\": 1}]}]}");
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (heard.reloads.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(heard.reloads).hasSize(1);
      assertThat(new CostCalculator(watcher).price(call()).cost().totalUsd()).isEqualByComparingTo("5");
    }
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheChecks() throws Exception {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, file("1"));
    List<String> seen = new CopyOnWriteArrayList<>();
    PriceFileWatcher.Listener failing = new PriceFileWatcher.Listener() {
      @Override
      public void reloaded(Path f, PriceCatalog catalog) {
        seen.add(catalog.resolve(null, "acme").orElseThrow().inputPerToken().toPlainString());
        throw new IllegalStateException("listener bug");
      }

      @Override
      public void rejected(Path f, List<PriceFileError> errors) {}
    };
    try (PriceFileWatcher watcher = PriceFileWatcher.start(PriceCatalog.bundled(), file, Duration.ofMillis(20), failing)) {
      Files.writeString(file, file("2"));
      waitFor(() -> seen.size() == 1);
      Files.writeString(file, file("3"));
      waitFor(() -> seen.size() == 2);
      assertThat(seen).hasSize(2);
      assertThat(watcher.get().resolve(null, "acme").orElseThrow().inputPerToken()).isEqualByComparingTo("0.000003");
    }
  }

  @Test
  void anInvalidFileAtStartIsRefused() throws IOException {
    Path file = dir.resolve("prices.yaml");
    Files.writeString(file, "models:\n  - name: acme\n");
    PriceFileException e = catchThrowableOfType(PriceFileException.class,
        () -> PriceFileWatcher.start(PriceCatalog.bundled(), file, Duration.ofSeconds(1), new Heard()));
    assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.line()).isEqualTo(2));
  }

  private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }
}
