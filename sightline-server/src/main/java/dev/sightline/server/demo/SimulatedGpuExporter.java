package dev.sightline.server.demo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * The demo's NVIDIA DCGM exporter: a loopback {@code /metrics} page for two A100 80GB GPUs on one
 * host. GPU 0 runs the {@link SimulatedEngine} (its utilisation, power and temperature follow the
 * engine's batch; its framebuffer holds what vLLM preallocates); GPU 1 sits idle, paid for all the same.
 *
 * <p>Family names, HELP texts, label names and number style follow dcgm-exporter (see
 * shared/fixtures/local-llm/dcgm-exporter-metrics.datadog-fixture.prom and
 * dcgm-exporter-default-counters.csv); the pod labels are those dcgm-exporter adds on Kubernetes.
 */
public final class SimulatedGpuExporter implements AutoCloseable {
  static final String MODEL_NAME = "NVIDIA A100-SXM4-80GB";
  static final String HOSTNAME = "gpu-node-1";
  static final int FB_TOTAL_MIB = 81_920;
  static final int FB_RESERVED_MIB = 521;
  static final double IDLE_WATTS = 61;
  static final double MAX_WATTS = 400;

  private record Gpu(int index, String uuid, String pciBusId, String podLabels) {}

  private final SimulatedEngine engine;
  private final Instant started;
  private final Random random;
  private final Gpu[] gpus;
  private final double[] temperature;
  private final double[] energyMillijoules;
  private double last;
  private final MetricsEndpoint endpoint;

  /** Two GPUs whose first one serves {@code engine}; times follow the engine's clock. */
  public SimulatedGpuExporter(SimulatedEngine engine, long seed) {
    this.engine = engine;
    this.started = engine.clock().instant();
    this.random = new Random(seed);
    this.gpus = new Gpu[] {
        new Gpu(0, uuid(), "00000000:07:00.0", ",container=\"vllm\",namespace=\"inference\",pod=\"vllm-0\""),
        new Gpu(1, uuid(), "00000000:0F:00.0", ""),
    };
    this.temperature = new double[] {targetTemperature(IDLE_WATTS), targetTemperature(IDLE_WATTS - 3)};
    this.energyMillijoules = new double[] {4.1e10 + random.nextInt(1_000_000_000), 3.9e10 + random.nextInt(1_000_000_000)};
    this.endpoint = new MetricsEndpoint(this::page);
  }

  private String uuid() {
    StringBuilder b = new StringBuilder("GPU-");
    int[] groups = {8, 4, 4, 4, 12};
    for (int g = 0; g < groups.length; g++) {
      if (g > 0) {
        b.append('-');
      }
      for (int i = 0; i < groups[g]; i++) {
        b.append(Character.forDigit(random.nextInt(16), 16));
      }
    }
    return b.toString();
  }

  /** Where a scraper reads this exporter, e.g. {@code http://127.0.0.1:38212/metrics}. */
  public URI metricsUri() {
    return endpoint.metricsUri();
  }

  private static double targetTemperature(double watts) {
    return 29 + 0.115 * watts;
  }

  /** What one GPU shows at one scrape. */
  private record Reading(int util, int memCopyUtil, double watts, int smClock, int fbUsed, double grActive,
      double tensorActive, double dramActive) {}

  private Reading read(int gpu, SimulatedEngine.Load load, double t) {
    if (gpu != 0 || load.running() == 0) {
      double watts = (gpu == 0 ? IDLE_WATTS : IDLE_WATTS - 3) + 0.8 * Math.sin(t / 17.0 + gpu);
      // vLLM keeps its weights and preallocated KV blocks on the GPU even when idle
      return new Reading(0, 0, watts, 210, gpu == 0 ? 74_108 : 0, 0, 0, 0);
    }
    double batch = load.running() / (VllmSimulation.ADMIT * VllmSimulation.CAPACITY);
    double u = Math.min(100, 35 + 65 * Math.sqrt(Math.min(1, batch)) + 2 * Math.sin(t / 7.0));
    int util = (int) Math.round(Math.max(1, u));
    double watts = IDLE_WATTS + (MAX_WATTS - IDLE_WATTS) * util / 100 * (0.7 + 0.3 * load.kvCacheUsage());
    int fbUsed = 74_108 + (int) Math.round(load.running() * 2.5);
    return new Reading(util, (int) Math.round(util * 0.55), watts, 1410, fbUsed, util / 100.0 * 0.92,
        util / 100.0 * 0.35 * (0.5 + 0.5 * load.kvCacheUsage()), util / 100.0 * 0.6);
  }

  /** The {@code /metrics} page as it would be served now. */
  public synchronized String page() {
    SimulatedEngine.Load load = engine.load();
    double t = Math.max(0, Duration.between(started, engine.clock().instant()).toNanos() / 1e9);
    double dt = Math.max(0, t - last);
    last = Math.max(last, t);
    Reading[] r = new Reading[gpus.length];
    String[] labels = new String[gpus.length];
    for (int i = 0; i < gpus.length; i++) {
      r[i] = read(i, load, t);
      // temperature follows power with a time constant of about a minute and a half
      temperature[i] += (targetTemperature(r[i].watts()) - temperature[i]) * (1 - Math.exp(-dt / 90));
      energyMillijoules[i] += r[i].watts() * dt * 1000;
      Gpu g = gpus[i];
      labels[i] = "{gpu=\"" + g.index() + "\",UUID=\"" + g.uuid() + "\",pci_bus_id=\"" + g.pciBusId()
          + "\",device=\"nvidia" + g.index() + "\",modelName=\"" + MODEL_NAME + "\",Hostname=\"" + HOSTNAME
          + "\",DCGM_FI_DRIVER_VERSION=\"550.90.07\"" + g.podLabels() + "}";
    }
    Exposition e = new Exposition();
    gauge(e, "DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", labels, i -> String.valueOf(r[i].smClock()));
    gauge(e, "DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", labels, i -> "1593");
    gauge(e, "DCGM_FI_DEV_MEMORY_TEMP", "Memory temperature (in C).", labels,
        i -> String.valueOf(Math.round(temperature[i] + 4)));
    gauge(e, "DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", labels,
        i -> String.valueOf(Math.round(temperature[i])));
    gauge(e, "DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", labels, i -> Exposition.sixDecimals(r[i].watts()));
    family(e, "DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION", "counter", "Total energy consumption since boot (in mJ).",
        labels, i -> String.valueOf((long) energyMillijoules[i]));
    family(e, "DCGM_FI_DEV_PCIE_REPLAY_COUNTER", "counter", "Total number of PCIe retries.", labels, i -> "0");
    gauge(e, "DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", labels, i -> String.valueOf(r[i].util()));
    gauge(e, "DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", labels,
        i -> String.valueOf(r[i].memCopyUtil()));
    gauge(e, "DCGM_FI_DEV_ENC_UTIL", "Encoder utilization (in %).", labels, i -> "0");
    gauge(e, "DCGM_FI_DEV_DEC_UTIL", "Decoder utilization (in %).", labels, i -> "0");
    gauge(e, "DCGM_FI_DEV_XID_ERRORS", "Value of the last XID error encountered.", labels, i -> "0");
    gauge(e, "DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", labels,
        i -> String.valueOf(FB_TOTAL_MIB - FB_RESERVED_MIB - r[i].fbUsed()));
    gauge(e, "DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", labels, i -> String.valueOf(r[i].fbUsed()));
    gauge(e, "DCGM_FI_DEV_FB_RESERVED", "Framebuffer memory reserved (in MiB).", labels,
        i -> String.valueOf(FB_RESERVED_MIB));
    family(e, "DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL", "counter",
        "Total number of NVLink bandwidth counters for all lanes.", labels, i -> "0");
    gauge(e, "DCGM_FI_DEV_VGPU_LICENSE_STATUS", "vGPU License status", labels, i -> "0");
    gauge(e, "DCGM_FI_PROF_GR_ENGINE_ACTIVE", "Ratio of time the graphics engine is active.", labels,
        i -> Exposition.sixDecimals(r[i].grActive()));
    gauge(e, "DCGM_FI_PROF_PIPE_TENSOR_ACTIVE", "Ratio of cycles the tensor (HMMA) pipe is active.", labels,
        i -> Exposition.sixDecimals(r[i].tensorActive()));
    gauge(e, "DCGM_FI_PROF_DRAM_ACTIVE",
        "Ratio of cycles the device memory interface is active sending or receiving data.", labels,
        i -> Exposition.sixDecimals(r[i].dramActive()));
    return e.text();
  }

  private interface Value {
    String of(int gpu);
  }

  private static void gauge(Exposition e, String name, String help, String[] labels, Value v) {
    family(e, name, "gauge", help, labels, v);
  }

  private static void family(Exposition e, String name, String type, String help, String[] labels, Value v) {
    e.family(name, type, help);
    for (int i = 0; i < labels.length; i++) {
      e.raw(name, labels[i], v.of(i));
    }
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
