package dev.sightline.alerts.anomaly;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an hour's cost is expected to be, from the same hour in earlier weeks, robustly: the median
 * and the median absolute deviation (MAD) of cost per hour, calls and cost per call.
 *
 * <p>The rule: the same hour-of-week in the previous {@code weeks} weeks when at least 2 of them lie
 * inside the history; otherwise the same hour-of-day in the previous 7 days when at least 3 of them
 * do; otherwise no baseline ("not enough history", so never an alert). An hour inside the history
 * without calls counts as a sample of $0. Cost per call uses only the samples with priced calls.
 */
public record CostBaseline(Instant hour, Basis basis, List<HourlyCost> samples, double medianCostUsd,
    double madCostUsd, double medianCalls, double medianCostPerCallUsd, double madCostPerCallUsd) {

  /** Where the samples come from. */
  public enum Basis { HOUR_OF_WEEK, HOUR_OF_DAY }

  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration DAY = Duration.ofDays(1);

  public CostBaseline {
    samples = List.copyOf(samples);
  }

  /**
   * The baseline of {@code hour} from {@code history} (hours by start) whose data begins at
   * {@code historyStart}; empty when there is not enough history.
   */
  public static Optional<CostBaseline> of(Instant hour, Map<Instant, HourlyCost> history, Instant historyStart,
      int weeks) {
    if (hour == null || history == null || historyStart == null) {
      return Optional.empty();
    }
    List<HourlyCost> weekly = samples(hour, history, historyStart, WEEK, Math.max(1, weeks));
    if (weekly.size() >= 2) {
      return Optional.of(from(hour, Basis.HOUR_OF_WEEK, weekly));
    }
    List<HourlyCost> daily = samples(hour, history, historyStart, DAY, 7);
    if (daily.size() >= 3) {
      return Optional.of(from(hour, Basis.HOUR_OF_DAY, daily));
    }
    return Optional.empty();
  }

  private static List<HourlyCost> samples(Instant hour, Map<Instant, HourlyCost> history, Instant start,
      Duration step, int count) {
    List<HourlyCost> out = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Instant h = hour.minus(step.multipliedBy(i));
      if (h.isBefore(start)) {
        break;
      }
      out.add(history.getOrDefault(h, HourlyCost.empty(h)));
    }
    return out;
  }

  private static CostBaseline from(Instant hour, Basis basis, List<HourlyCost> samples) {
    double[] cost = samples.stream().mapToDouble(HourlyCost::costUsd).toArray();
    double[] calls = samples.stream().mapToDouble(HourlyCost::pricedCalls).toArray();
    double[] perCall = samples.stream().filter(s -> s.pricedCalls() > 0)
        .mapToDouble(s -> s.costUsd() / s.pricedCalls()).toArray();
    return new CostBaseline(hour, basis, samples, median(cost), mad(cost), median(calls), median(perCall),
        mad(perCall));
  }

  /** The mean of the samples: what the attribution compares the hour with (means add up, medians do not). */
  Profile expected() {
    return Profile.mean(samples.stream().map(Profile::of).toList());
  }

  static double median(double[] values) {
    if (values.length == 0) {
      return 0;
    }
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  static double mad(double[] values) {
    double m = median(values);
    return median(Arrays.stream(values).map(x -> Math.abs(x - m)).toArray());
  }
}
