package dev.sightline.alerts.anomaly;

import dev.sightline.store.CostQuery.Dimension;
import java.util.List;
import java.util.Optional;

/**
 * Why cost moved between an hour (or day) and its baseline: the ratio, the change split into a calls
 * effect (Δcalls × baseline cost per call) and a cost-per-call effect, the keys of each dimension that
 * account for the rise, the token-bucket shifts, and one line of text for people.
 */
public record Explanation(double ratio, double baselineUsd, double observedUsd, double callsEffectUsd,
    double costPerCallEffectUsd, List<Contributor> contributors, List<BucketShift> shifts, String text) {

  public Explanation {
    contributors = List.copyOf(contributors);
    shifts = List.copyOf(shifts);
  }

  /**
   * One key of a dimension and its part in the change. {@code shareOfRise} is its Δcost over the sum
   * of the rising keys' Δcost of the same dimension (so the rising keys' shares add up to 1).
   * {@code newKey}: absent from every baseline sample (such as the model a route switched to).
   */
  public record Contributor(Dimension dimension, String key, double baselineUsd, double observedUsd,
      double baselineCalls, double observedCalls, double deltaUsd, double shareOfRise, double callsEffectUsd,
      double costPerCallEffectUsd, boolean newKey) {

    /** Observed over baseline cost; infinite for a new key. */
    public double costRatio() {
      return baselineUsd <= 0 ? Double.POSITIVE_INFINITY : observedUsd / baselineUsd;
    }
  }

  /**
   * A share that moved: {@code CACHED_INPUT_TOKENS} (cache-read part of input tokens),
   * {@code CACHE_READ_INPUT_COST} (cache-read part of input-side cost), or a bucket's share of cost.
   * Shares are 0..1; -1 where the share has no denominator.
   */
  public record BucketShift(String name, double baselineShare, double observedShare) {}

  /** The largest riser of a dimension, if any key rose. */
  public Optional<Contributor> top(Dimension dimension) {
    return contributors.stream().filter(c -> c.dimension() == dimension && c.deltaUsd() > 0).findFirst();
  }

  /** The shift of that name, if it moved enough to be reported. */
  public Optional<BucketShift> shift(String name) {
    return shifts.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
