package dev.sightline.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled catalog is the generator's output for the LiteLLM snapshot in the fixtures, and prices
 * every model exactly as the full upstream file would.
 *
 * <p>Regenerating the bundle after the snapshot changes (docs/pricing.md):
 * {@code ./mvnw -o -pl sightline-pricing test -Dtest=BundledCatalogTest -Dsightline.pricing.regenerate=true}
 */
class BundledCatalogTest {

  private static final boolean REGENERATE = Boolean.getBoolean("sightline.pricing.regenerate");
  private static final Path BUNDLE =
      Path.of("src/main/resources/dev/sightline/pricing", PriceCatalog.BUNDLED_RESOURCE);

  @Test
  void bundleIsTheGeneratorOutputForTheSnapshot() throws IOException {
    String expected;
    try (InputStream in = Fixtures.open(Fixtures.litellmFile())) {
      expected = CatalogGenerator.generate(in);
    }
    if (REGENERATE) {
      CatalogGenerator.main(new String[] {Fixtures.litellmFile().toString(), BUNDLE.toString()});
    }
    String bundled;
    try (InputStream in = PriceCatalog.class.getResourceAsStream(PriceCatalog.BUNDLED_RESOURCE)) {
      assertThat(in).as("bundled resource").isNotNull();
      bundled = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    // the source tree is what gets committed; the classpath copy is what ships
    assertThat(Files.readString(BUNDLE)).as("src/main/resources bundle is up to date").isEqualTo(expected);
    if (!REGENERATE) {
      assertThat(bundled).as("classpath bundle").isEqualTo(expected);
    }
  }

  @Test
  void bundlePricesEveryEntryLikeTheUpstreamFile() {
    assumeFalse(REGENERATE, "the classpath still holds the bundle from before regenerating");
    PriceCatalog upstream;
    try (InputStream in = Fixtures.open(Fixtures.litellmFile())) {
      upstream = PriceCatalog.load(in);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    List<ModelPrice> fromBundle = Fixtures.bundled().entries();
    assertThat(fromBundle).hasSize(upstream.size());
    for (int i = 0; i < fromBundle.size(); i++) {
      ModelPrice a = fromBundle.get(i);
      ModelPrice b = upstream.entries().get(i);
      assertThat(a.key()).isEqualTo(b.key());
      assertThat(a.litellmProvider()).isEqualTo(b.litellmProvider());
      assertThat(a.mode()).isEqualTo(b.mode());
      assertThat(a.base()).as(a.key()).usingRecursiveComparison()
          .withComparatorForType(java.math.BigDecimal::compareTo, java.math.BigDecimal.class)
          .isEqualTo(b.base());
      assertThat(a.tiers()).as(a.key()).usingRecursiveComparison()
          .withComparatorForType(java.math.BigDecimal::compareTo, java.math.BigDecimal.class)
          .isEqualTo(b.tiers());
    }
  }

  @Test
  void onlyTokenPricedModesAreBundled() {
    assumeFalse(REGENERATE, "the classpath still holds the bundle from before regenerating");
    // 2,285 chat + 85 responses + 124 embedding + 36 completion entries in the snapshot, less those
    // with no per-token price (per-second, per-character, Bedrock commitment plans, …)
    assertThat(Fixtures.bundled().size()).isBetween(2_000, 2_530);
    assertThat(Fixtures.bundled().entries()).extracting(ModelPrice::mode)
        .containsOnly("chat", "completion", "responses", "embedding");
    assertThat(Fixtures.bundled().resolve("openai", "dall-e-3")).isEmpty();
    assertThat(Fixtures.bundled().resolve("openai", "whisper-1")).isEmpty();
  }

  @Test
  void provenanceTravelsWithTheBundle() throws IOException {
    assumeFalse(REGENERATE, "the classpath still holds the bundle from before regenerating");
    try (InputStream in = PriceCatalog.class.getResourceAsStream("litellm-prices.NOTICE")) {
      assertThat(in).isNotNull();
      String notice = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      assertThat(notice)
          .contains("BerriAI/litellm")
          .contains("8442b939a6ead479f7995b5d74d8dce488bd0966")
          .contains("Copyright (c) 2023 Berri AI")
          .contains("Permission is hereby granted, free of charge");
    }
  }
}
