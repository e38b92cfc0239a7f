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

    ModelPrice.Rates rates = price.ratesFor(usage.inputTokens());
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
        price.key(), note(match, price, rates, usage), reported);
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

  /** How the call was priced, when it was not simply the entry's base prices. */
  private static String note(PriceCatalog.Match match, ModelPrice price, ModelPrice.Rates rates, Usage usage) {
    if (rates == price.base()) {
      return match.note();
    }
    long threshold = 0;
    for (ModelPrice.Tier tier : price.tiers()) {
      if (tier.rates() == rates) {
        threshold = tier.aboveInputTokens();
      }
    }
    String tierNote = "long-context price: " + usage.inputTokens() + " input tokens > " + threshold;
    return match.note() == null ? tierNote : match.note() + "; " + tierNote;
  }
}
