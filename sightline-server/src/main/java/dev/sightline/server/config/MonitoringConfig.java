package dev.sightline.server.config;

import dev.sightline.scrape.ScrapeTarget;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What Sightline reads from self-hosted engines and GPUs: the scrape targets (Prometheus pages,
 * Ollama servers, the nvidia-smi collector) and the GPU prices per hour that turn GPU time into the
 * cost of self-hosted calls.
 *
 * @param targets every target, names unique (a target's name is its points' service)
 * @param nvidiaSmiAuto the nvidia-smi collector is added only when the command is found on PATH
 *     at start-up (the default); false when it was asked for explicitly or is off
 * @param gpuPricePerHour USD per hour of an engine's GPUs, by the engine's target name
 */
public record MonitoringConfig(List<ScrapeTarget> targets, boolean nvidiaSmiAuto,
    Map<String, BigDecimal> gpuPricePerHour) {

  public MonitoringConfig {
    targets = targets == null ? List.of() : List.copyOf(targets);
    gpuPricePerHour = gpuPricePerHour == null ? Map.of() : Map.copyOf(gpuPricePerHour);
    Set<String> names = new HashSet<>();
    for (ScrapeTarget t : targets) {
      if (!names.add(t.name())) {
        throw new ConfigException("two scrape targets are named '" + t.name() + "' (--scrape, --ollama,"
            + " --nvidia-smi); a target's name is its metrics' service, so give each its own");
      }
    }
  }

  /** Nothing scraped, nvidia-smi off, no GPU prices: what tests start with. */
  public static MonitoringConfig none() {
    return new MonitoringConfig(List.of(), false, Map.of());
  }

  public MonitoringConfig withTargets(List<ScrapeTarget> more) {
    List<ScrapeTarget> all = new ArrayList<>(targets);
    all.addAll(more);
    return new MonitoringConfig(all, nvidiaSmiAuto, gpuPricePerHour);
  }

  public MonitoringConfig withGpuPrice(String name, BigDecimal perHour) {
    Map<String, BigDecimal> prices = new LinkedHashMap<>(gpuPricePerHour);
    prices.put(name, perHour);
    return new MonitoringConfig(targets, nvidiaSmiAuto, prices);
  }

  /**
   * Reads the options: {@code scrape} and {@code ollama} as {@code NAME=URL[,INTERVAL]},
   * {@code nvidiaSmi} as {@code auto}, {@code off}, or {@code COMMAND[,INTERVAL]} (a command on
   * PATH or an absolute path), {@code gpuPrices} as {@code NAME=USD_PER_HOUR}.
   */
  public static MonitoringConfig parse(List<String> scrape, List<String> ollama, String nvidiaSmi,
      java.time.Duration defaultInterval, Map<String, String> gpuPrices) {
    List<ScrapeTarget> targets = new ArrayList<>();
    for (String s : words(scrape)) {
      targets.add(target("--scrape", s, ScrapeTarget.Kind.PROMETHEUS, defaultInterval));
    }
    for (String s : words(ollama)) {
      targets.add(target("--ollama", s, ScrapeTarget.Kind.OLLAMA, defaultInterval));
    }
    boolean auto = false;
    String smi = nvidiaSmi == null ? "auto" : nvidiaSmi.trim();
    String smiWord = smi.split(",", 2)[0].trim();
    if (smiWord.equals("auto")) {
      String rest = smi.contains(",") ? smi.substring(smi.indexOf(',')) : "";
      targets.add(target("--nvidia-smi", ScrapeTarget.NVIDIA_SMI_NAME + "=" + ScrapeTarget.NVIDIA_SMI_NAME + rest,
          ScrapeTarget.Kind.NVIDIA_SMI, defaultInterval));
      auto = true;
    } else if (!smiWord.equals("off") && !smiWord.isEmpty()) {
      targets.add(target("--nvidia-smi", ScrapeTarget.NVIDIA_SMI_NAME + "=" + smi, ScrapeTarget.Kind.NVIDIA_SMI,
          defaultInterval));
    }
    Map<String, BigDecimal> prices = new LinkedHashMap<>();
    if (gpuPrices != null) {
      for (Map.Entry<String, String> e : gpuPrices.entrySet()) {
        prices.put(e.getKey().trim(), price(e.getKey(), e.getValue()));
      }
    }
    return new MonitoringConfig(targets, auto, prices);
  }

  /** Each value, split on whitespace: the variable and the config file give several targets in one line. */
  private static List<String> words(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String v : values == null ? List.<String>of() : values) {
      for (String w : v.trim().split("\\s+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
    }
    return out;
  }

  private static ScrapeTarget target(String option, String spec, ScrapeTarget.Kind kind,
      java.time.Duration defaultInterval) {
    try {
      return ScrapeTarget.parse(spec.trim(), kind, defaultInterval);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(option + ": " + e.getMessage());
    }
  }

  private static BigDecimal price(String name, String value) {
    String v = value == null ? "" : value.trim().replaceFirst("^\\$", "");
    try {
      BigDecimal d = new BigDecimal(v);
      if (d.signum() < 0 || d.precision() > 20) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigException("--gpu-price " + name + ": the price must be USD per hour such as 2.49; got '"
          + value + "'");
    }
  }
}
