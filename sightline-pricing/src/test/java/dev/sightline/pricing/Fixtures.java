package dev.sightline.pricing;

import dev.sightline.model.testing.SharedFixtures;

import dev.sightline.model.Cost;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/** The shared pricing fixtures (../shared/fixtures/pricing) and small builders for tests. */
final class Fixtures {

  private Fixtures() {}

  static PriceCatalog bundled() {
    return PriceCatalog.bundled();
  }

  static Path pricingDir() {
    return SharedFixtures.file("pricing");
  }

  /** The LiteLLM snapshot the bundle is derived from. */
  static Path litellmFile() {
    return pricingDir().resolve("litellm_model_prices_and_context_window.json");
  }

  static InputStream open(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static LlmCall call(String provider, String model, Usage usage) {
    return new LlmCall(provider, "chat", model, null, false, usage, null, null, null, null, null);
  }

  /** A call that started at {@code start} and took a second. */
  static LlmCall callAt(String provider, String model, Usage usage, Instant start) {
    long nanos = PriceCatalog.nanos(start);
    return new LlmCall(provider, "chat", model, null, false, usage, Timing.of(nanos, nanos + 1_000_000_000L),
        null, null, null, null);
  }

  /** The example price file (the one docs/pricing.md shows), over the bundled catalog. */
  static Path userPriceFile() {
    return Path.of("src/test/resources/dev/sightline/pricing/user-prices.yaml");
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  static Cost price(String provider, String model, Usage usage) {
    return Calculator.BUNDLED.price(call(provider, model, usage)).cost();
  }

  static Usage usage(long uncached, long cacheRead, long write5m, long write1h, long text, long reasoning) {
    return Usage.reported(uncached, cacheRead, write5m, write1h, text, reasoning);
  }

  static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  /** Created on first use, so that regenerating a broken bundle does not need it. */
  static final class Calculator {
    static final CostCalculator BUNDLED = new CostCalculator(PriceCatalog.bundled());
  }
}
