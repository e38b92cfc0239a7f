package dev.sightline.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The per-token prices of one catalog entry, in USD, exactly as the catalog states them.
 *
 * <p>Fallbacks are already applied (a cache read without its own price costs what an input token
 * costs, and so on; see docs/pricing.md), so every bucket of {@link Rates} is the price that bucket
 * is charged at.
 *
 * <p>An entry of the user's price file may have several of these, one per {@code effectiveFrom};
 * the one in force at a call's start time prices it (docs/pricing.md).
 *
 * @param key the catalog key that priced the call, e.g. {@code gpt-4o} or
 *     {@code us.anthropic.claude-sonnet-4-5-20250929-v1:0}; price-file entries are
 *     {@code user:<name>} or {@code user:/<regex>/}
 * @param litellmProvider the entry's {@code litellm_provider}; for a price-file entry, the provider
 *     it is limited to (null: any provider)
 * @param mode {@code chat}, {@code completion}, {@code responses} or {@code embedding}
 * @param base the prices below the first long-context threshold
 * @param tiers long-context prices, ascending by threshold; empty for most models
 * @param effectiveFrom when these prices take effect: the epoch for the bundled catalog
 * @param source the bundled catalog or the user's price file
 * @param serviceTiers the prices of the batch, priority and flex tiers the entry lists (never
 *     {@link ServiceTier#STANDARD}: that is {@code base} and {@code tiers}); empty for most models
 */
public record ModelPrice(String key, String litellmProvider, String mode, Rates base, List<Tier> tiers,
    Instant effectiveFrom, Source source, Map<ServiceTier, ServiceTierPrices> serviceTiers) {

  /** Where a price comes from. */
  public enum Source { BUNDLED, USER_FILE }

  public ModelPrice {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(base, "base");
    tiers = List.copyOf(tiers);
    effectiveFrom = effectiveFrom == null ? Instant.EPOCH : effectiveFrom;
    source = source == null ? Source.BUNDLED : source;
    serviceTiers = serviceTiers == null || serviceTiers.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(serviceTiers));
    if (serviceTiers.containsKey(ServiceTier.STANDARD)) {
      throw new IllegalArgumentException("the standard tier's prices are base and tiers, not a service tier");
    }
  }

  /** A price without batch, priority or flex prices. */
  public ModelPrice(String key, String litellmProvider, String mode, Rates base, List<Tier> tiers,
      Instant effectiveFrom, Source source) {
    this(key, litellmProvider, mode, base, tiers, effectiveFrom, source, Map.of());
  }

  /** A bundled price, in force since the epoch. */
  public ModelPrice(String key, String litellmProvider, String mode, Rates base, List<Tier> tiers) {
    this(key, litellmProvider, mode, base, tiers, Instant.EPOCH, Source.BUNDLED);
  }

  /**
   * USD per token for each usage bucket. {@code input} is never null; {@code output} and
   * {@code reasoning} are null only when the catalog has no output price for a generating model.
   */
  public record Rates(
      BigDecimal input,
      BigDecimal cacheRead,
      BigDecimal cacheWrite5m,
      BigDecimal cacheWrite1h,
      BigDecimal output,
      BigDecimal reasoning) {

    public Rates {
      Objects.requireNonNull(input, "input");
    }
  }

  /**
   * Prices that apply to a whole request once its total input tokens (cache included) are
   * strictly greater than {@code aboveInputTokens}.
   */
  public record Tier(long aboveInputTokens, Rates rates) {}

  /**
   * The prices of one service tier (batch, priority, flex): its own {@code base} and long-context
   * {@code tiers}, with the same meaning as the entry's standard ones.
   *
   * @param restated the long-context thresholds at which the tier states prices of its own; at the
   *     others its {@code tiers} hold the standard long-context prices (docs/pricing.md)
   */
  public record ServiceTierPrices(Rates base, List<Tier> tiers, Set<Long> restated) {

    public ServiceTierPrices {
      Objects.requireNonNull(base, "base");
      tiers = List.copyOf(tiers);
      restated = Set.copyOf(restated);
    }

    /** Prices that state every long-context tier themselves. */
    public ServiceTierPrices(Rates base, List<Tier> tiers) {
      this(base, tiers, tiers.stream().map(Tier::aboveInputTokens).collect(java.util.stream.Collectors.toSet()));
    }

    /** The prices for a request with this many input tokens (all four input buckets together). */
    public Rates ratesFor(long inputTokens) {
      return ModelPrice.ratesFor(base, tiers, inputTokens);
    }

    /** The threshold of the long-context tier {@code rates} belongs to, 0 for the base prices. */
    long thresholdOf(Rates rates) {
      return ModelPrice.thresholdOf(tiers, rates);
    }
  }

  /** The prices for a request with this many input tokens (all four input buckets together). */
  public Rates ratesFor(long inputTokens) {
    return ratesFor(base, tiers, inputTokens);
  }

  /**
   * The prices for a request with this many input tokens served by {@code tier}; null when the
   * entry lists no prices for that tier (other than {@link ServiceTier#STANDARD}, which it always has).
   */
  public Rates ratesFor(ServiceTier tier, long inputTokens) {
    if (tier == ServiceTier.STANDARD) {
      return ratesFor(base, tiers, inputTokens);
    }
    ServiceTierPrices prices = serviceTiers.get(tier);
    return prices == null ? null : prices.ratesFor(inputTokens);
  }

  /** The threshold of the long-context tier {@code rates} belongs to, 0 for the base prices. */
  long thresholdOf(Rates rates) {
    return thresholdOf(tiers, rates);
  }

  private static Rates ratesFor(Rates base, List<Tier> tiers, long inputTokens) {
    for (int i = tiers.size() - 1; i >= 0; i--) {
      Tier tier = tiers.get(i);
      if (inputTokens > tier.aboveInputTokens()) {
        return tier.rates();
      }
    }
    return base;
  }

  private static long thresholdOf(List<Tier> tiers, Rates rates) {
    for (Tier tier : tiers) {
      if (tier.rates() == rates) {
        return tier.aboveInputTokens();
      }
    }
    return 0;
  }

  public BigDecimal inputPerToken() {
    return base.input();
  }

  public BigDecimal outputPerToken() {
    return base.output();
  }
}
