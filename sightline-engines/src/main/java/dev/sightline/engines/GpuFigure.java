package dev.sightline.engines;

import java.util.Optional;

/**
 * The GPU figures, under the dcgm-exporter names that both dcgm-exporter and Sightline's nvidia-smi
 * collector write (units from shared/fixtures/local-llm/dcgm-exporter-default-counters.csv).
 */
public enum GpuFigure {
  UTILIZATION("utilization", "DCGM_FI_DEV_GPU_UTIL", "%"),
  MEMORY_USED("memoryUsedMiB", "DCGM_FI_DEV_FB_USED", "MiB"),
  MEMORY_FREE("memoryFreeMiB", "DCGM_FI_DEV_FB_FREE", "MiB"),
  POWER("powerWatts", "DCGM_FI_DEV_POWER_USAGE", "W"),
  TEMPERATURE("temperatureC", "DCGM_FI_DEV_GPU_TEMP", "C"),
  SM_CLOCK("smClockMhz", "DCGM_FI_DEV_SM_CLOCK", "MHz"),
  /** The value of the last XID error (0 when none): a code, not a count. */
  XID_ERRORS("xidErrors", "DCGM_FI_DEV_XID_ERRORS", null);

  private final String key;
  private final String metric;
  private final String unit;

  GpuFigure(String key, String metric, String unit) {
    this.key = key;
    this.metric = metric;
    this.unit = unit;
  }

  /** The JSON name. */
  public String key() {
    return key;
  }

  /** The stored metric name. */
  public String metric() {
    return metric;
  }

  public String unit() {
    return unit;
  }

  /** The figure by its JSON name, or empty. */
  public static Optional<GpuFigure> parse(String key) {
    for (GpuFigure f : values()) {
      if (f.key.equals(key)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
