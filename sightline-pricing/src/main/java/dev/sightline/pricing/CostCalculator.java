package dev.sightline.pricing;

import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The price processor: usage × the price in force at the call's start → {@link Cost}
 * (ARCHITECTURE.md §6). Pure and thread-safe; exact decimal arithmetic, never rounded.
 */
public final class CostCalculator {

  private final Supplier<PriceCatalog> catalog;

  /** Prices every call with this catalog. */
  public CostCalculator(PriceCatalog catalog) {
    Objects.requireNonNull(catalog, "catalog");
    this.catalog = () -> catalog;
  }

  /**
   * Prices each call with the catalog the supplier holds at that moment, e.g. a
   * {@link PriceFileWatcher}, which swaps in a new catalog when the price file changes. The supplier
   * is asked once per call, so it must be cheap (a volatile read) and never return null.
   */
  public CostCalculator(Supplier<PriceCatalog> catalog) {
    this.catalog = Objects.requireNonNull(catalog, "catalog");
  }

  /** Returns call.withCost(cost). Keeps call.cost().reportedUsd() if a cost was already set by normalization. */
  public LlmCall price(LlmCall call) {
    return call.withCost(cost(call));
  }

  private Cost cost(LlmCall call) {
    BigDecimal reported = call.cost() == null ? null : call.cost().reportedUsd();
    String model = call.model();
    if (model == null || model.isBlank()) {
      return Cost.unpriced("the call names no model (provider '" + call.provider() + "')", reported);
    }
    PriceCatalog.Match match = catalog.get().match(call.provider(), model, startNanos(call.timing()));
    if (match == null) {
      String reason = "no price for model '" + model + "' (provider '" + call.provider() + "')";
      if (Providers.isSelfHosted(call.provider())) {
        reason += "; self-hosted models are priced from your own price file";
      }
      return Cost.unpriced(reason, reported);
    }
    if (match.price() == null) {
      return Cost.unpriced(match.note(), reported);
    }
    ModelPrice price = match.price();
    Usage usage = call.usage();
    if (usage.rejectedReason() != null) {
      return Cost.noUsage(price.key(), "usage rejected: " + usage.rejectedReason(), reported);
    }
    if (!usage.hasTokens()) {
      return Cost.noUsage(price.key(), "no token usage reported", reported);
    }

    ServiceTier tier = ServiceTier.of(call.serviceTier());
    ModelPrice.Rates rates = tier == null ? null : price.ratesFor(tier, usage.inputTokens());
    if (rates == null) {
      rates = price.ratesFor(usage.inputTokens());
    }
    if (rates.output() == null && usage.outputTokens() > 0) {
      return Cost.unpriced("catalog entry '" + price.key() + "' has no output price", reported);
    }
    BigDecimal input = times(usage.inputUncached(), rates.input());
    BigDecimal cacheRead = times(usage.inputCacheRead(), rates.cacheRead());
    BigDecimal cacheWrite = times(usage.inputCacheWrite5m(), rates.cacheWrite5m())
        .add(times(usage.inputCacheWrite1h(), rates.cacheWrite1h()));
    BigDecimal output = times(usage.outputText(), rates.output());
    BigDecimal reasoning = times(usage.outputReasoning(), rates.reasoning());
    BigDecimal total = input.add(cacheRead).add(cacheWrite).add(output).add(reasoning);
    return new Cost(CostStatus.PRICED, total, input, cacheRead, cacheWrite, output, reasoning,
        price.key(), note(match, price, call.serviceTier(), tier, rates, usage), reported);
  }

  /**
   * When the call started, which decides the prices in force; a call whose start is unknown (no
   * timing, or a zero start) is priced at the current prices.
   */
  private static long startNanos(Timing timing) {
    if (timing != null && timing.startEpochNanos() > 0) {
      return timing.startEpochNanos();
    }
    return System.currentTimeMillis() * 1_000_000L;
  }

  private static BigDecimal times(long tokens, BigDecimal perToken) {
    return tokens == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(tokens).multiply(perToken);
  }

  /**
   * How the call was priced, when it was not simply the entry's standard base prices: the matching
   * note, the service tier and the long-context threshold.
   */
  private static String note(PriceCatalog.Match match, ModelPrice price, String recordedTier, ServiceTier tier,
      ModelPrice.Rates rates, Usage usage) {
    String note = match.note();
    long threshold;
    if (tier == null) {
      note = join(note, "service tier '" + recordedTier.trim() + "' has no prices of its own; priced at the standard price");
      threshold = price.thresholdOf(rates);
    } else if (tier == ServiceTier.STANDARD) {
      threshold = price.thresholdOf(rates);
    } else {
      ModelPrice.ServiceTierPrices tierPrices = price.serviceTiers().get(tier);
      if (tierPrices == null) {
        note = join(note, "'" + price.key() + "' has no " + tier.wire() + " price; priced at the standard price");
        threshold = price.thresholdOf(rates);
      } else {
        note = join(note, tier.wire() + " tier prices");
        threshold = tierPrices.thresholdOf(rates);
        if (threshold > 0 && !tierPrices.restated().contains(threshold)) {
          note = join(note, "'" + price.key() + "' has no " + tier.wire() + " price above " + threshold
              + " input tokens; the standard long-context price applies to the buckets the tier does not restate");
        }
      }
    }
    if (threshold > 0) {
      note = join(note, "long-context price: " + usage.inputTokens() + " input tokens > " + threshold);
    }
    return note;
  }

  private static String join(String note, String more) {
    return note == null ? more : note + "; " + more;
  }
}
