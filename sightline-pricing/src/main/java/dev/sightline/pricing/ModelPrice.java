package dev.sightline.pricing;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

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
 */
public record ModelPrice(String key, String litellmProvider, String mode, Rates base, List<Tier> tiers,
    Instant effectiveFrom, Source source) {

  /** Where a price comes from. */
  public enum Source { BUNDLED, USER_FILE }

  public ModelPrice {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(base, "base");
    tiers = List.copyOf(tiers);
    effectiveFrom = effectiveFrom == null ? Instant.EPOCH : effectiveFrom;
    source = source == null ? Source.BUNDLED : source;
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

  /** The prices for a request with this many input tokens (all four input buckets together). */
  public Rates ratesFor(long inputTokens) {
    for (int i = tiers.size() - 1; i >= 0; i--) {
      Tier tier = tiers.get(i);
      if (inputTokens > tier.aboveInputTokens()) {
        return tier.rates();
      }
    }
    return base;
  }

  public BigDecimal inputPerToken() {
    return base.input();
  }

  public BigDecimal outputPerToken() {
    return base.output();
  }
}
