package dev.sightline.evaluators;

import java.util.Map;

/**
 * Which calls are evaluated: a sampling rate per route, else per service, else the default (0 = off,
 * 1 = every call). Sampling is decided by the call's ids, so the same call always gets the same
 * answer (a re-delivery is not evaluated twice as often).
 */
public record EvaluationPolicy(double defaultRate, Map<String, Double> routeRates, Map<String, Double> serviceRates) {

  public static final EvaluationPolicy ALL = new EvaluationPolicy(1.0, Map.of(), Map.of());

  public EvaluationPolicy {
    check("default", defaultRate);
    routeRates = routeRates == null ? Map.of() : Map.copyOf(routeRates);
    serviceRates = serviceRates == null ? Map.of() : Map.copyOf(serviceRates);
    routeRates.forEach(EvaluationPolicy::check);
    serviceRates.forEach(EvaluationPolicy::check);
  }

  private static void check(String what, Double rate) {
    if (rate == null || rate.isNaN() || rate < 0 || rate > 1) {
      throw new IllegalArgumentException("the evaluation sampling rate for " + what
          + " must be between 0 (off) and 1 (every call), got " + rate);
    }
  }

  /** The rate that applies to a call of this route and service. */
  public double rateFor(String route, String service) {
    if (route != null) {
      Double r = routeRates.get(route);
      if (r != null) {
        return r;
      }
    }
    if (service != null) {
      Double r = serviceRates.get(service);
      if (r != null) {
        return r;
      }
    }
    return defaultRate;
  }

  /** Whether this call is in the sample. */
  public boolean sampled(String traceId, String spanId, String route, String service) {
    double rate = rateFor(route, service);
    if (rate >= 1) {
      return true;
    }
    if (rate <= 0) {
      return false;
    }
    // a well-mixed 64-bit hash of the ids, mapped to [0, 1)
    long h = mix(hash(traceId) * 31 + hash(spanId));
    return (h >>> 11) * 0x1.0p-53 < rate;
  }

  private static long hash(String s) {
    return s == null ? 0 : s.hashCode();
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
