package dev.sightline.pricing;

import java.util.Locale;

/**
 * The service tiers that have their own prices (ARCHITECTURE.md §6): a call served by the batch,
 * priority or flex tier is priced with that tier's prices where the catalog has them.
 */
public enum ServiceTier {
  STANDARD("standard", ""),
  BATCH("batch", "_batches"),
  PRIORITY("priority", "_priority"),
  FLEX("flex", "_flex");

  private final String wire;
  private final String litellmSuffix;

  ServiceTier(String wire, String litellmSuffix) {
    this.wire = wire;
    this.litellmSuffix = litellmSuffix;
  }

  /** The tier's name in the price file and in notes: {@code batch}, {@code priority}, {@code flex}. */
  public String wire() {
    return wire;
  }

  /** The suffix of the tier's fields in the LiteLLM price file ({@code input_cost_per_token_batches}). */
  String litellmSuffix() {
    return litellmSuffix;
  }

  /**
   * The tier a recorded {@code service_tier} value stands for, case-insensitive: {@code batch},
   * {@code priority}, {@code flex}; {@code default}, {@code standard}, {@code standard_only}
   * (Anthropic), {@code auto}, {@code on_demand} or none: {@link #STANDARD}. Any other value (e.g. OpenAI's {@code scale}): null, for the caller
   * to say that the value has no prices of its own.
   */
  public static ServiceTier of(String recorded) {
    if (recorded == null) {
      return STANDARD;
    }
    String v = recorded.trim().toLowerCase(Locale.ROOT);
    return switch (v) {
      case "", "default", "standard", "standard_only", "auto", "on_demand", "on-demand" -> STANDARD;
      case "batch", "batches" -> BATCH;
      case "priority" -> PRIORITY;
      case "flex" -> FLEX;
      default -> null;
    };
  }
}
