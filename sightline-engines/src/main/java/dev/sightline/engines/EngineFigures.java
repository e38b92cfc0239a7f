package dev.sightline.engines;

/**
 * An engine's figures over a window: gauges at their last value, counters as rates per second,
 * latencies as quantiles in milliseconds; null where the engine does not report the figure or
 * reported nothing in the window.
 */
public record EngineFigures(Double kvCacheUsage, Double requestsRunning, Double requestsWaiting,
    Double preemptionsPerSec, Double prefixCacheHitRate, Double promptTokensPerSec, Double generationTokensPerSec,
    Double ttftP50Ms, Double ttftP95Ms, Double itlP50Ms, Double itlP95Ms, Double e2eP50Ms, Double e2eP95Ms) {

  static final EngineFigures NONE = new EngineFigures(null, null, null, null, null, null, null, null, null, null,
      null, null, null);
}
