package dev.sightline.alerts.anomaly;

import dev.sightline.alerts.anomaly.Explanation.BucketShift;
import dev.sightline.alerts.anomaly.Explanation.Contributor;
import dev.sightline.store.CostQuery.Dimension;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Explains a cost change against its baseline: Δcost = calls effect (Δcalls × baseline cost per call)
 * + cost-per-call effect, overall and per model, route and user, plus the token-bucket shifts.
 */
public final class CauseAttribution {

  /** Contributors kept per dimension, largest rise first. */
  static final int PER_DIMENSION = 5;
  /** A share must move this much (0..1) to be reported as a shift. */
  static final double SHIFT_POINTS = 0.2;
  /** A dimension's top riser is named in the text when it carries at least this part of the rise. */
  static final double NAMED_SHARE = 0.8;

  private CauseAttribution() {}

  /** Explains {@code observed} against {@code baseline}; a baseline of $0 gives an infinite ratio. */
  public static Explanation explain(HourlyCost observed, CostBaseline baseline) {
    return explain(Profile.of(observed), baseline.expected(), "cost/h");
  }

  /** {@code measure} names the stretch compared in the text: "cost/h", or "cost/day" for a drift. */
  static Explanation explain(Profile now, Profile before, String measure) {
    double ratio = before.cost() <= 0 ? (now.cost() > 0 ? Double.POSITIVE_INFINITY : 1) : now.cost() / before.cost();
    double[] effects = effects(before.calls(), before.cost(), now.calls(), now.cost());
    List<Contributor> contributors = new ArrayList<>();
    for (Dimension d : CostHistory.DIMENSIONS) {
      contributors.addAll(contributors(d, now.groups().getOrDefault(d, Map.of()),
          before.groups().getOrDefault(d, Map.of())));
    }
    List<BucketShift> shifts = shifts(now, before);
    Explanation draft = new Explanation(ratio, before.cost(), now.cost(), effects[0], effects[1], contributors,
        shifts, "");
    return new Explanation(ratio, before.cost(), now.cost(), effects[0], effects[1], contributors, shifts,
        text(draft, measure));
  }

  /** {calls effect, cost-per-call effect}; a set absent from the baseline is all calls effect. */
  private static double[] effects(double calls0, double cost0, double calls1, double cost1) {
    double delta = cost1 - cost0;
    if (calls0 <= 0) {
      return new double[] {delta, 0};
    }
    double callsEffect = (calls1 - calls0) * (cost0 / calls0);
    return new double[] {callsEffect, delta - callsEffect};
  }

  private static List<Contributor> contributors(Dimension d, Map<String, double[]> now, Map<String, double[]> before) {
    Set<String> keys = new HashSet<>(now.keySet());
    keys.addAll(before.keySet());
    double rise = 0;
    for (String k : keys) {
      rise += Math.max(0, value(now, k)[1] - value(before, k)[1]);
    }
    List<Contributor> out = new ArrayList<>();
    for (String k : keys) {
      double[] b = value(before, k);
      double[] n = value(now, k);
      double delta = n[1] - b[1];
      double[] e = effects(b[0], b[1], n[0], n[1]);
      out.add(new Contributor(d, k, b[1], n[1], b[0], n[0], delta, rise > 0 ? Math.max(0, delta) / rise : 0, e[0],
          e[1], !before.containsKey(k) || b[0] <= 0));
    }
    out.sort(Comparator.comparingDouble(Contributor::deltaUsd).reversed().thenComparing(Contributor::key));
    return out.subList(0, Math.min(PER_DIMENSION, out.size()));
  }

  private static double[] value(Map<String, double[]> m, String k) {
    return m.getOrDefault(k, new double[2]);
  }

  private static List<BucketShift> shifts(Profile now, Profile before) {
    List<BucketShift> out = new ArrayList<>();
    add(out, "CACHED_INPUT_TOKENS", before.cachedInputShare(), now.cachedInputShare());
    add(out, "CACHE_READ_INPUT_COST", before.cacheReadCostShare(), now.cacheReadCostShare());
    for (int i = 0; i < Profile.BUCKETS.size(); i++) {
      add(out, Profile.BUCKETS.get(i).toUpperCase(Locale.ROOT) + "_COST",
          before.cost() <= 0 ? -1 : before.buckets()[i] / before.cost(),
          now.cost() <= 0 ? -1 : now.buckets()[i] / now.cost());
    }
    return out;
  }

  private static void add(List<BucketShift> out, String name, double before, double now) {
    if (before >= 0 && now >= 0 && Math.abs(now - before) >= SHIFT_POINTS) {
      out.add(new BucketShift(name, before, now));
    }
  }

  /** e.g. "cost/h 9.8× baseline; 83 % from model gpt-4o (absent from the baseline), route POST /chat +91 %". */
  private static String text(Explanation e, String measure) {
    StringBuilder s = new StringBuilder();
    s.append(Double.isInfinite(e.ratio()) ? measure + " from $0 in the baseline"
        : String.format(Locale.ROOT, "%s %.1f× baseline", measure, e.ratio()));
    if (e.observedUsd() > e.baselineUsd()) {
      s.append(e.costPerCallEffectUsd() >= e.callsEffectUsd() ? " (mostly cost per call)" : " (mostly more calls)");
    }
    // the dimensions whose top riser carries most of the rise, the most concentrated first: one
    // abusive user makes every model rise a little, and naming those models would only mislead
    List<Contributor> tops = new ArrayList<>();
    for (Dimension d : CostHistory.DIMENSIONS) {
      e.top(d).filter(c -> c.shareOfRise() >= NAMED_SHARE).ifPresent(tops::add);
    }
    tops.sort(Comparator.comparingDouble(Contributor::shareOfRise).reversed());
    if (!tops.isEmpty()) {
      s.append("; ").append(String.join(", ", tops.stream().map(CauseAttribution::describe).toList()));
    }
    for (BucketShift b : e.shifts()) {
      // the other buckets' shares move with any change of mix; they stay in the structured shifts
      String label = switch (b.name()) {
        case "CACHED_INPUT_TOKENS" -> "cached share of input tokens";
        case "REASONING_COST" -> "reasoning share of cost";
        default -> null;
      };
      if (label != null) {
        s.append(String.format(Locale.ROOT, "; %s %d %% → %d %%", label, Math.round(b.baselineShare() * 100),
            Math.round(b.observedShare() * 100)));
      }
    }
    return s.toString();
  }

  private static String describe(Contributor c) {
    String name = c.dimension().wire() + " " + c.key();
    String share = String.format(Locale.ROOT, "%d %% from %s", Math.round(c.shareOfRise() * 100), name);
    if (c.newKey()) {
      return share + " (absent from the baseline)";
    }
    if (c.callsEffectUsd() > c.costPerCallEffectUsd()) {
      return share + String.format(Locale.ROOT, " (calls %.1f×)", c.observedCalls() / c.baselineCalls());
    }
    return share + String.format(Locale.ROOT, " (cost per call %.1f×)",
        (c.observedUsd() / Math.max(c.observedCalls(), 1e-9)) / (c.baselineUsd() / c.baselineCalls()));
  }
}
