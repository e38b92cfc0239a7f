package dev.sightline.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Sightline reads the LiteLLM price file ({@code model_prices_and_context_window.json}): which
 * entries are token-priced, which fields are prices, and how they become {@link ModelPrice}s. The
 * catalog loader and the bundle generator both go through here, so they cannot disagree.
 */
final class LiteLlmFormat {

  /** Modes whose price is per token. Image, audio, rerank, search… entries are left out. */
  static final Set<String> PRICED_MODES = Set.of("chat", "completion", "responses", "embedding");

  static final String INPUT = "input_cost_per_token";
  static final String CACHE_READ = "cache_read_input_token_cost";
  /** DeepSeek entries' older name for the cache-read price. */
  static final String CACHE_HIT = "input_cost_per_token_cache_hit";
  static final String CACHE_WRITE_5M = "cache_creation_input_token_cost";
  static final String CACHE_WRITE_1H = "cache_creation_input_token_cost_above_1hr";
  static final String OUTPUT = "output_cost_per_token";
  static final String REASONING = "output_cost_per_reasoning_token";
  static final String TIERED_PRICING = "tiered_pricing";
  static final String RANGE = "range";

  private static final Set<String> BUCKET_FIELDS =
      Set.of(INPUT, CACHE_READ, CACHE_WRITE_5M, CACHE_WRITE_1H, OUTPUT, REASONING);

  /** {@code <bucket field>_above_<N>k_tokens}: the long-context price above N × 1000 input tokens. */
  private static final Pattern TIER_FIELD = Pattern.compile("(.+)_above_(\\d+)k_tokens");

  /**
   * Fields the bundle keeps: the bucket prices, their long-context variants, and their service-tier
   * variants (batches, priority, flex).
   */
  private static final Pattern BUNDLED_FIELD = Pattern.compile(
      "(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost"
          + "|cache_creation_input_token_cost(?:_above_1hr)?|output_cost_per_reasoning_token"
          + "|input_cost_per_token_cache_hit)(?:_above_\\d+k_tokens)?(?:_batches|_priority|_flex)?");

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      // prices are parsed from their decimal text, never through a double
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private LiteLlmFormat() {}

  static ObjectMapper mapper() {
    return MAPPER;
  }

  static JsonNode readTree(InputStream in) {
    try {
      JsonNode root = MAPPER.readTree(in);
      if (root == null || !root.isObject()) {
        throw new IllegalArgumentException("a LiteLLM price file is one JSON object of model entries");
      }
      return root;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the LiteLLM price file: " + e.getMessage(), e);
    }
  }

  /** Whether the bundle keeps this field of a token-priced entry. */
  static boolean isBundledField(String name) {
    return BUNDLED_FIELD.matcher(name).matches();
  }

  /**
   * The entry's token prices, or null when it is not a token-priced model (another mode, no
   * input price, or a documentation stub such as {@code sample_spec}).
   */
  static ModelPrice read(String key, JsonNode entry) {
    if (entry == null || !entry.isObject() || !PRICED_MODES.contains(entry.path("mode").asText())) {
      return null;
    }
    // threshold (0 = base) → bucket field → price
    TreeMap<Long, Map<String, BigDecimal>> byThreshold = new TreeMap<>();
    byThreshold.put(0L, new HashMap<>());
    entry.properties().forEach(field -> collect(field.getKey(), field.getValue(), 0L, byThreshold));
    BigDecimal cacheHit = price(entry.get(CACHE_HIT));

    JsonNode ranges = entry.get(TIERED_PRICING);
    if (ranges != null && ranges.isArray()) {
      for (JsonNode range : ranges) {
        Long from = rangeStart(range.get(RANGE));
        if (from == null) {
          continue; // e.g. search entries' max_results_range: not a token tier
        }
        range.properties().forEach(field -> collect(field.getKey(), field.getValue(), from, byThreshold));
      }
    }

    String mode = entry.path("mode").asText();
    ModelPrice.ServiceTierPrices standard = prices(byThreshold, cacheHit, mode);
    if (standard == null) {
      return null;
    }
    Map<ServiceTier, ModelPrice.ServiceTierPrices> serviceTiers = new EnumMap<>(ServiceTier.class);
    for (ServiceTier tier : ServiceTier.values()) {
      if (tier == ServiceTier.STANDARD) {
        continue;
      }
      Set<Long> restated = new HashSet<>();
      TreeMap<Long, Map<String, BigDecimal>> overlaid = overlay(byThreshold, entry, tier, restated);
      if (overlaid != null) {
        ModelPrice.ServiceTierPrices p = prices(overlaid, cacheHit, mode);
        serviceTiers.put(tier, new ModelPrice.ServiceTierPrices(p.base(), p.tiers(), restated));
      }
    }
    String provider = entry.path("litellm_provider").isTextual() ? entry.get("litellm_provider").asText() : null;
    return new ModelPrice(key, provider, mode, standard.base(), standard.tiers(), null, ModelPrice.Source.BUNDLED,
        serviceTiers);
  }

  /**
   * A service tier's prices: the entry's standard prices with each field the tier restates
   * ({@code input_cost_per_token_batches}, {@code output_cost_per_token_above_272k_tokens_priority}…)
   * replaced by the tier's value; then the usual fallbacks. The user's price file builds its
   * service tiers the same way. Null when the entry has no field for the tier.
   */
  private static TreeMap<Long, Map<String, BigDecimal>> overlay(TreeMap<Long, Map<String, BigDecimal>> standard,
      JsonNode entry, ServiceTier tier, Set<Long> restated) {
    String suffix = tier.litellmSuffix();
    TreeMap<Long, Map<String, BigDecimal>> overlaid = null;
    for (Map.Entry<String, JsonNode> field : entry.properties()) {
      String name = field.getKey();
      if (!name.endsWith(suffix) || price(field.getValue()) == null) {
        continue;
      }
      String standardName = name.substring(0, name.length() - suffix.length());
      Matcher longContext = TIER_FIELD.matcher(standardName);
      if (!BUCKET_FIELDS.contains(standardName)
          && !(longContext.matches() && BUCKET_FIELDS.contains(longContext.group(1)))) {
        continue; // e.g. input_cost_per_audio_token_priority: not a token bucket Sightline prices
      }
      if (overlaid == null) {
        overlaid = copy(standard);
      }
      collect(standardName, field.getValue(), 0L, overlaid);
      if (longContext.matches()) {
        restated.add(Long.parseLong(longContext.group(2)) * 1000L);
      }
    }
    return overlaid;
  }

  static TreeMap<Long, Map<String, BigDecimal>> copy(TreeMap<Long, Map<String, BigDecimal>> byThreshold) {
    TreeMap<Long, Map<String, BigDecimal>> copy = new TreeMap<>();
    byThreshold.forEach((threshold, fields) -> copy.put(threshold, new HashMap<>(fields)));
    return copy;
  }

  /** The base prices and long-context tiers of a threshold → field → price map; null without an input price. */
  static ModelPrice.ServiceTierPrices prices(TreeMap<Long, Map<String, BigDecimal>> byThreshold,
      BigDecimal cacheHit, String mode) {
    List<Long> thresholds = new ArrayList<>(byThreshold.keySet());
    ModelPrice.Rates base = rates(byThreshold, thresholds, 0, cacheHit, mode);
    if (base == null) {
      return null;
    }
    List<ModelPrice.Tier> tiers = new ArrayList<>();
    for (int i = 1; i < thresholds.size(); i++) {
      tiers.add(new ModelPrice.Tier(thresholds.get(i), rates(byThreshold, thresholds, i, cacheHit, mode)));
    }
    return new ModelPrice.ServiceTierPrices(base, tiers);
  }

  private static void collect(String name, JsonNode value, long threshold,
      TreeMap<Long, Map<String, BigDecimal>> byThreshold) {
    BigDecimal price = price(value);
    if (price == null) {
      return;
    }
    Matcher tier = TIER_FIELD.matcher(name);
    if (tier.matches() && BUCKET_FIELDS.contains(tier.group(1))) {
      long above = Math.addExact(threshold, Math.multiplyExact(Long.parseLong(tier.group(2)), 1000L));
      byThreshold.computeIfAbsent(above, t -> new HashMap<>()).put(tier.group(1), price);
    } else if (BUCKET_FIELDS.contains(name)) {
      byThreshold.computeIfAbsent(threshold, t -> new HashMap<>()).put(name, price);
    }
  }

  /**
   * The prices in force at {@code thresholds[index]}: a bucket's own price at the highest threshold
   * at or below it that states one, else the bucket's fallback. The user's price file goes through
   * here too (its fields renamed to LiteLLM's), so both follow the same fallbacks.
   *
   * @param byThreshold threshold (0 = base) → LiteLLM bucket field → USD per token
   * @return null when no threshold at or below {@code index} has an input price
   */
  static ModelPrice.Rates rates(TreeMap<Long, Map<String, BigDecimal>> byThreshold,
      List<Long> thresholds, int index, BigDecimal cacheHit, String mode) {
    BigDecimal input = own(INPUT, byThreshold, thresholds, index);
    if (input == null) {
      return null;
    }
    BigDecimal cacheRead = own(CACHE_READ, byThreshold, thresholds, index);
    if (cacheRead == null) {
      cacheRead = cacheHit != null ? cacheHit : input;
    }
    BigDecimal write5m = orElse(own(CACHE_WRITE_5M, byThreshold, thresholds, index), input);
    BigDecimal write1h = orElse(own(CACHE_WRITE_1H, byThreshold, thresholds, index), write5m);
    BigDecimal output = own(OUTPUT, byThreshold, thresholds, index);
    if (output == null && "embedding".equals(mode)) {
      output = BigDecimal.ZERO; // an embedding generates no tokens
    }
    BigDecimal reasoning = orElse(own(REASONING, byThreshold, thresholds, index), output);
    return new ModelPrice.Rates(input, cacheRead, write5m, write1h, output, reasoning);
  }

  private static BigDecimal own(String field, TreeMap<Long, Map<String, BigDecimal>> byThreshold,
      List<Long> thresholds, int index) {
    for (int i = index; i >= 0; i--) {
      BigDecimal p = byThreshold.get(thresholds.get(i)).get(field);
      if (p != null) {
        return p;
      }
    }
    return null;
  }

  private static BigDecimal orElse(BigDecimal value, BigDecimal fallback) {
    return value != null ? value : fallback;
  }

  /** A price is a non-negative JSON number; anything else is ignored. */
  private static BigDecimal price(JsonNode node) {
    if (node == null || !node.isNumber()) {
      return null;
    }
    BigDecimal p = node.decimalValue();
    return p.signum() < 0 ? null : p;
  }

  /** The start of a {@code [from, to]} token range, or null if it is not one. */
  private static Long rangeStart(JsonNode range) {
    if (range == null || !range.isArray() || range.isEmpty() || !range.get(0).isNumber()) {
      return null;
    }
    try {
      return range.get(0).decimalValue().longValueExact();
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
