package dev.sightline.alerts.anomaly;

/**
 * The detector's knobs; out-of-range values fall back to the defaults.
 *
 * @param weeks hour-of-week samples for the baseline (default 4)
 * @param k how many MADs above the median an hour must be (default 6)
 * @param madFloor the MAD used is at least this part of the median (default 0.1), so a flat
 *     baseline does not turn noise into an alert
 * @param minRatio cost/h must also be at least this multiple of the median (default 2)
 * @param trafficTolerance "same traffic": calls within ± this part of the baseline's (default 0.3)
 * @param costPerCallRatio "N× cost": cost per call at least this multiple of its baseline (default 2)
 * @param driftRatio the last day's median cost/h over its baseline's, to call a drift (default 1.5)
 * @param driftFloor each of the previous drift days must be at least this ratio (default 1.1)
 * @param driftDays consecutive days of the drift (default 3)
 */
public record AnomalySettings(int weeks, double k, double madFloor, double minRatio, double trafficTolerance,
    double costPerCallRatio, double driftRatio, double driftFloor, int driftDays) {

  public static final AnomalySettings DEFAULTS = new AnomalySettings(4, 6, 0.1, 2, 0.3, 2, 1.5, 1.1, 3);

  public AnomalySettings {
    weeks = weeks >= 1 && weeks <= 12 ? weeks : 4;
    k = k > 0 ? k : 6;
    madFloor = madFloor >= 0 ? madFloor : 0.1;
    minRatio = minRatio >= 1 ? minRatio : 2;
    trafficTolerance = trafficTolerance > 0 && trafficTolerance < 1 ? trafficTolerance : 0.3;
    costPerCallRatio = costPerCallRatio > 1 ? costPerCallRatio : 2;
    driftRatio = driftRatio > 1 ? driftRatio : 1.5;
    driftFloor = driftFloor >= 1 ? driftFloor : 1.1;
    driftDays = driftDays >= 1 && driftDays <= 14 ? driftDays : 3;
  }
}
