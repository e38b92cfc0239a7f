package dev.sightline.model;

import java.math.BigDecimal;

/**
 * The cost of one call in USD, exact (BigDecimal, never rounded here), per token bucket.
 *
 * @param totalUsd null unless {@code status} is PRICED
 * @param priceKey the catalog entry that priced the call
 * @param reason why the cost is null, or a note on how it was priced
 * @param reportedUsd a cost the source itself reported, kept beside the computed one
 */
public record Cost(
    CostStatus status,
    BigDecimal totalUsd,
    BigDecimal inputUsd,
    BigDecimal cacheReadUsd,
    BigDecimal cacheWriteUsd,
    BigDecimal outputUsd,
    BigDecimal reasoningUsd,
    String priceKey,
    String reason,
    BigDecimal reportedUsd) {

  public static Cost unpriced(String reason, BigDecimal reportedUsd) {
    return new Cost(CostStatus.UNPRICED, null, null, null, null, null, null, null, reason, reportedUsd);
  }

  public static Cost noUsage(String priceKey, String reason, BigDecimal reportedUsd) {
    return new Cost(CostStatus.NO_USAGE, null, null, null, null, null, null, priceKey, reason, reportedUsd);
  }

  public Cost withReported(BigDecimal reported) {
    return new Cost(status, totalUsd, inputUsd, cacheReadUsd, cacheWriteUsd, outputUsd, reasoningUsd,
        priceKey, reason, reported);
  }
}
