package dev.sightline.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Prices many catalog models with random usage and checks every bucket against a cost worked out
 * independently here, straight from the upstream LiteLLM file read as a plain Jackson tree. The two
 * share no code: this reading looks each field up by name for the request at hand.
 */
class CatalogCrossCheckTest {

  private static final long SEED = 20260724L;
  private static final Set<String> MODES = Set.of("chat", "completion", "responses", "embedding");

  @Test
  void bundledCatalogPricesModelsExactlyAsTheUpstreamFileSays() throws IOException {
    JsonNode root;
    try (InputStream in = Fixtures.open(Fixtures.litellmFile())) {
      root = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(in);
    }
    List<String> tiered = new ArrayList<>();
    List<String> plain = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode entry = e.getValue();
      if (!MODES.contains(entry.path("mode").asText()) || !hasInputPrice(entry)) {
        continue;
      }
      boolean hasTiers = entry.has("tiered_pricing")
          || entry.propertyStream().anyMatch(f -> f.getKey().endsWith("k_tokens"));
      (hasTiers ? tiered : plain).add(e.getKey());
    }
    Random random = new Random(SEED);
    Collections.shuffle(plain, random);
    List<String> models = new ArrayList<>(tiered);          // every long-context model
    models.addAll(plain.subList(0, 300));                     // and 300 others at random
    assertThat(models).hasSizeGreaterThanOrEqualTo(200);

    CostCalculator calculator = new CostCalculator(PriceCatalog.bundled());
    int checked = 0;
    for (String model : models) {
      JsonNode entry = root.get(model);
      String provider = entry.get("litellm_provider").asText();
      for (int round = 0; round < 4; round++) {
        Usage usage = randomUsage(random, entry, round);
        LlmCall call = new LlmCall(provider, "chat", model, null, false, usage, null, null, null, null, null);
        Cost cost = calculator.price(call).cost();
        String what = model + " with " + usage + " (seed " + SEED + ")";

        assertThat(cost.status()).as(what).isEqualTo(CostStatus.PRICED);
        assertThat(cost.priceKey()).as(what).isEqualTo(model);
        long input = usage.inputTokens();
        BigDecimal in = times(usage.inputUncached(), inputPrice(entry, input));
        BigDecimal read = times(usage.inputCacheRead(), cacheReadPrice(entry, input));
        BigDecimal write = times(usage.inputCacheWrite5m(), write5mPrice(entry, input))
            .add(times(usage.inputCacheWrite1h(), write1hPrice(entry, input)));
        BigDecimal out = times(usage.outputText(), outputPrice(entry, input));
        BigDecimal reasoning = times(usage.outputReasoning(), reasoningPrice(entry, input));
        assertThat(cost.inputUsd()).as("input of " + what).isEqualByComparingTo(in);
        assertThat(cost.cacheReadUsd()).as("cache read of " + what).isEqualByComparingTo(read);
        assertThat(cost.cacheWriteUsd()).as("cache write of " + what).isEqualByComparingTo(write);
        assertThat(cost.outputUsd()).as("output of " + what).isEqualByComparingTo(out);
        assertThat(cost.reasoningUsd()).as("reasoning of " + what).isEqualByComparingTo(reasoning);
        assertThat(cost.totalUsd()).as("total of " + what)
            .isEqualByComparingTo(in.add(read).add(write).add(out).add(reasoning));
        checked++;
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(800);
  }

  /**
   * Every entry with batch, priority or flex prices, priced in each of those tiers: the tier's field
   * ({@code input_cost_per_token_batches}, {@code …_above_272k_tokens_priority}) where the entry has
   * one, else the standard field, then the usual fallbacks.
   */
  @Test
  void serviceTiersArePricedExactlyAsTheUpstreamFileSays() throws IOException {
    JsonNode root;
    try (InputStream in = Fixtures.open(Fixtures.litellmFile())) {
      root = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readTree(in);
    }
    Map<String, String> suffixes = Map.of("batch", "_batches", "priority", "_priority", "flex", "_flex");
    CostCalculator calculator = new CostCalculator(PriceCatalog.bundled());
    Random random = new Random(SEED);
    int checked = 0;
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      JsonNode entry = e.getValue();
      if (!MODES.contains(entry.path("mode").asText()) || !hasInputPrice(entry)) {
        continue;
      }
      for (Map.Entry<String, String> tier : suffixes.entrySet()) {
        String suffix = tier.getValue();
        boolean listed = entry.propertyStream().anyMatch(f -> f.getKey().endsWith(suffix)
            && f.getKey().contains("_token") && !f.getKey().contains("audio") && f.getValue().isNumber());
        if (!listed) {
          continue;
        }
        for (int round = 0; round < 4; round++) {
          Usage usage = randomUsage(random, entry, round);
          LlmCall call = new LlmCall(entry.get("litellm_provider").asText(), "chat", e.getKey(), null, false, usage,
              null, null, null, null, null, tier.getKey());
          Cost cost = calculator.price(call).cost();
          String what = e.getKey() + " (" + tier.getKey() + ") with " + usage + " (seed " + SEED + ")";
          long input = usage.inputTokens();
          BigDecimal inPrice = tierField(entry, "input_cost_per_token", input, suffix);
          BigDecimal readPrice = tierField(entry, "cache_read_input_token_cost", input, suffix);
          if (readPrice == null && entry.path("input_cost_per_token_cache_hit").isNumber()) {
            readPrice = entry.get("input_cost_per_token_cache_hit").decimalValue();
          }
          readPrice = readPrice != null ? readPrice : inPrice;
          BigDecimal w5 = tierField(entry, "cache_creation_input_token_cost", input, suffix);
          w5 = w5 != null ? w5 : inPrice;
          BigDecimal w1 = tierField(entry, "cache_creation_input_token_cost_above_1hr", input, suffix);
          w1 = w1 != null ? w1 : w5;
          BigDecimal outPrice = tierField(entry, "output_cost_per_token", input, suffix);
          outPrice = outPrice != null ? outPrice : BigDecimal.ZERO;
          BigDecimal reasoningPrice = tierField(entry, "output_cost_per_reasoning_token", input, suffix);
          reasoningPrice = reasoningPrice != null ? reasoningPrice : outPrice;
          BigDecimal total = times(usage.inputUncached(), inPrice).add(times(usage.inputCacheRead(), readPrice))
              .add(times(usage.inputCacheWrite5m(), w5)).add(times(usage.inputCacheWrite1h(), w1))
              .add(times(usage.outputText(), outPrice)).add(times(usage.outputReasoning(), reasoningPrice));
          assertThat(cost.status()).as(what).isEqualTo(CostStatus.PRICED);
          assertThat(cost.totalUsd()).as("total of " + what).isEqualByComparingTo(total);
          assertThat(cost.reason()).as(what).contains(tier.getKey() + " tier prices");
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(4 * 200);
  }

  /**
   * A field's price in a service tier: at the highest long-context threshold the request exceeds
   * that prices the field, the tier's variant if the entry has one, else the standard one; below
   * every threshold, the tier's plain field, else the standard field (ranges of tiered_pricing
   * carry no tier prices in the snapshot).
   */
  private static BigDecimal tierField(JsonNode entry, String field, long input, String suffix) {
    BigDecimal best = null;
    long bestAbove = -1;
    boolean bestIsTier = false;
    for (Map.Entry<String, JsonNode> f : entry.properties()) {
      String name = f.getKey();
      boolean isTier = name.endsWith(suffix);
      Long above = aboveTokens(isTier ? name.substring(0, name.length() - suffix.length()) : name, field);
      if (above == null || input <= above || !f.getValue().isNumber()) {
        continue;
      }
      if (above > bestAbove || above == bestAbove && isTier && !bestIsTier) {
        best = f.getValue().decimalValue();
        bestAbove = above;
        bestIsTier = isTier;
      }
    }
    if (best != null) {
      return best;
    }
    JsonNode own = entry.path(field + suffix);
    return own.isNumber() ? own.decimalValue() : field(entry, field, input);
  }

  /** Round 0, 1: anywhere; round 2: exactly at a threshold; round 3: one token above it. */
  private static Usage randomUsage(Random random, JsonNode entry, int round) {
    long total = switch (round) {
      case 0 -> 1 + random.nextInt(5_000);
      case 1 -> 1 + random.nextInt(600_000);
      default -> {
        List<Long> thresholds = thresholds(entry);
        long t = thresholds.isEmpty() ? 100_000 : thresholds.get(random.nextInt(thresholds.size()));
        yield round == 2 ? t : t + 1;
      }
    };
    // split the total input over the four input buckets
    long read = random.nextBoolean() ? (long) (total * random.nextDouble() * 0.8) : 0;
    long write5m = random.nextInt(3) == 0 ? (total - read) / 4 : 0;
    long write1h = random.nextInt(3) == 0 ? (total - read - write5m) / 3 : 0;
    long uncached = total - read - write5m - write1h;
    boolean embedding = "embedding".equals(entry.path("mode").asText());
    long text = embedding ? 0 : random.nextInt(20_000);
    long reasoning = embedding || random.nextBoolean() ? 0 : random.nextInt(30_000);
    return Usage.reported(uncached, read, write5m, write1h, text, reasoning);
  }

  private static boolean hasInputPrice(JsonNode entry) {
    if (entry.path("input_cost_per_token").isNumber()) {
      return true;
    }
    for (JsonNode range : entry.path("tiered_pricing")) {
      if (range.has("range") && range.path("input_cost_per_token").isNumber()) {
        return true;
      }
    }
    return false;
  }

  private static List<Long> thresholds(JsonNode entry) {
    List<Long> out = new ArrayList<>();
    entry.fieldNames().forEachRemaining(name -> {
      Long n = aboveTokens(name, name.substring(0, Math.max(0, name.indexOf("_above_"))));
      if (n != null) {
        out.add(n);
      }
    });
    for (JsonNode range : entry.path("tiered_pricing")) {
      if (range.has("range") && range.get("range").get(0).decimalValue().signum() > 0) {
        out.add(range.get("range").get(0).decimalValue().longValue());
      }
    }
    return out;
  }

  /** For "{field}_above_{N}k_tokens", N × 1000; null for any other name. */
  private static Long aboveTokens(String name, String field) {
    String prefix = field + "_above_";
    if (field.isEmpty() || !name.startsWith(prefix) || !name.endsWith("k_tokens")) {
      return null;
    }
    String n = name.substring(prefix.length(), name.length() - "k_tokens".length());
    return n.chars().allMatch(Character::isDigit) && !n.isEmpty() ? Long.parseLong(n) * 1000 : null;
  }

  /**
   * The field's price for a request with {@code input} input tokens, or null if the entry has none:
   * the highest long-context variant whose threshold the request exceeds, else the plain field; for
   * tiered_pricing entries, the field in the range the request falls in (or the nearest lower range
   * that has it).
   */
  private static BigDecimal field(JsonNode entry, String field, long input) {
    BigDecimal best = null;
    long bestAbove = -1;
    for (Map.Entry<String, JsonNode> f : entry.properties()) {
      Long above = aboveTokens(f.getKey(), field);
      if (above != null && input > above && above > bestAbove && f.getValue().isNumber()) {
        best = f.getValue().decimalValue();
        bestAbove = above;
      }
    }
    if (best != null) {
      return best;
    }
    JsonNode ranges = entry.path("tiered_pricing");
    if (ranges.isArray() && !ranges.isEmpty() && ranges.get(0).has("range")) {
      BigDecimal found = null;
      for (JsonNode range : ranges) {
        long from = range.get("range").get(0).decimalValue().longValue();
        if (from > 0 && input <= from) {
          break;
        }
        if (range.path(field).isNumber()) {
          found = range.get(field).decimalValue();
        }
      }
      if (found != null) {
        return found;
      }
    }
    return entry.path(field).isNumber() ? entry.get(field).decimalValue() : null;
  }

  private static BigDecimal inputPrice(JsonNode e, long input) {
    return field(e, "input_cost_per_token", input);
  }

  private static BigDecimal cacheReadPrice(JsonNode e, long input) {
    BigDecimal p = field(e, "cache_read_input_token_cost", input);
    if (p == null && e.path("input_cost_per_token_cache_hit").isNumber()) {
      p = e.get("input_cost_per_token_cache_hit").decimalValue();
    }
    return p != null ? p : inputPrice(e, input);
  }

  private static BigDecimal write5mPrice(JsonNode e, long input) {
    BigDecimal p = field(e, "cache_creation_input_token_cost", input);
    return p != null ? p : inputPrice(e, input);
  }

  private static BigDecimal write1hPrice(JsonNode e, long input) {
    BigDecimal p = field(e, "cache_creation_input_token_cost_above_1hr", input);
    return p != null ? p : write5mPrice(e, input);
  }

  private static BigDecimal outputPrice(JsonNode e, long input) {
    BigDecimal p = field(e, "output_cost_per_token", input);
    return p != null ? p : BigDecimal.ZERO; // only embeddings lack it, and they have no output
  }

  private static BigDecimal reasoningPrice(JsonNode e, long input) {
    BigDecimal p = field(e, "output_cost_per_reasoning_token", input);
    return p != null ? p : outputPrice(e, input);
  }

  private static BigDecimal times(long tokens, BigDecimal price) {
    return new BigDecimal(tokens).multiply(price);
  }
}
