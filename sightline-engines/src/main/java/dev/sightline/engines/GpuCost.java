package dev.sightline.engines;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/**
 * The arithmetic of self-hosted cost, in exact decimals (ARCHITECTURE.md §6) except for divisions,
 * which keep 16 significant digits: GPU hours = the time the target was seen up in the window (its
 * up gauge, bucket by scrape interval; time before its first scrape is not counted); cost = price per hour × GPU hours × the engine's share; per request and per 1,000
 * output tokens divide that cost by what the engine's model served in the window.
 */
final class GpuCost {
  static final MathContext DIVISION = MathContext.DECIMAL64;
  private static final BigDecimal MILLIS_PER_HOUR = BigDecimal.valueOf(3_600_000);
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private GpuCost() {}

  /** Hours of GPU time from the milliseconds the target was seen up. */
  static BigDecimal gpuHours(long upMillis) {
    return strip(BigDecimal.valueOf(Math.max(0, upMillis)).divide(MILLIS_PER_HOUR, DIVISION));
  }

  /**
   * The engine's cost: {@code share} (0..1) of the service's GPU time, divided over {@code requests}
   * and {@code outputTokens}; per-request and per-token figures are null (with a reason) when there is
   * nothing to divide by.
   */
  static EngineCost of(BigDecimal pricePerHour, BigDecimal gpuHours, BigDecimal share, long requests,
      long outputTokens, String model) {
    // the hours and share carry 16 significant digits already; more would be noise
    BigDecimal cost = strip(pricePerHour.multiply(gpuHours).multiply(share).round(DIVISION));
    BigDecimal perRequest = requests > 0 ? strip(cost.divide(BigDecimal.valueOf(requests), DIVISION)) : null;
    BigDecimal per1k = outputTokens > 0
        ? strip(cost.multiply(THOUSAND).divide(BigDecimal.valueOf(outputTokens), DIVISION)) : null;
    String reason = null;
    if (requests == 0) {
      reason = "no LLM calls " + (model == null ? "matched this engine" : "of model " + model)
          + " in the window, so the GPU time has no requests to be shared over";
    } else if (outputTokens == 0) {
      reason = "the matched calls report no output tokens";
    }
    return new EngineCost(pricePerHour, gpuHours, cost, requests, outputTokens, perRequest, per1k, reason);
  }

  /** A priced engine whose up time is unknown: no GPU hours, no cost, and why. */
  static EngineCost unknownTime(BigDecimal pricePerHour, String service) {
    return new EngineCost(pricePerHour, null, null, 0, 0, null, null, "service " + service
        + " has no up samples in the window (it is not scraped by Sightline), so its GPU time is unknown");
  }

  /** {@code part} of {@code whole}; an even split over {@code parts} when the whole is zero. */
  static BigDecimal share(long part, long whole, int parts) {
    if (parts <= 1) {
      return BigDecimal.ONE;
    }
    if (whole <= 0) {
      return BigDecimal.ONE.divide(BigDecimal.valueOf(parts), DIVISION);
    }
    return BigDecimal.valueOf(part).divide(BigDecimal.valueOf(whole), DIVISION);
  }

  /**
   * Whether a call's model is the engine's model: equal ignoring case, or equal once an organisation
   * or path prefix ({@code meta-llama/}, {@code /models/}) is taken off either side.
   */
  static boolean sameModel(String engineModel, String callModel) {
    if (engineModel == null || callModel == null) {
      return false;
    }
    String a = engineModel.trim().toLowerCase(Locale.ROOT);
    String b = callModel.trim().toLowerCase(Locale.ROOT);
    if (a.equals(b)) {
      return !a.isEmpty();
    }
    String shortA = afterSlash(a);
    return !shortA.isEmpty() && shortA.equals(afterSlash(b));
  }

  private static String afterSlash(String s) {
    return s.substring(s.lastIndexOf('/') + 1);
  }

  private static BigDecimal strip(BigDecimal d) {
    BigDecimal s = d.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }
}
