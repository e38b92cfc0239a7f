package dev.sightline.engines;

import dev.sightline.store.MetricName;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSample;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.MetricValue;
import dev.sightline.store.Store;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * GPUs from the dcgm-exporter names (written by dcgm-exporter and by the nvidia-smi collector): every
 * series of a {@code DCGM_FI_} name that carries a {@code UUID} or {@code gpu} label belongs to one GPU
 * of its service (a MIG instance, with {@code GPU_I_ID}, is a GPU of its own). Labels as in
 * shared/fixtures/local-llm/dcgm-exporter-metrics.datadog-fixture.prom ({@code Hostname}) and current
 * dcgm-exporter ({@code hostname}, {@code pci_bus_id}); the figures are each one's newest sample.
 */
final class GpuReader {
  static final String PREFIX = "DCGM_FI_";
  private static final String NVIDIA_SMI = "nvidia-smi";

  private final Store store;

  GpuReader(Store store) {
    this.store = store;
  }

  List<Gpu> gpus(Instant now, Duration window) {
    Instant since = now.minus(window);
    List<String> names = store.metricNames(PREFIX, null, since, now, EngineDetection.MAX_NAMES).stream()
        .map(MetricName::name).toList();
    Map<String, List<MetricSample>> byGpu = new LinkedHashMap<>();
    List<MetricSample> samples = new ArrayList<>(EngineDetection.latest(store, names, null, Map.of(), since, now));
    samples.sort(Comparator.comparing(MetricSample::time).reversed());
    for (MetricSample s : samples) {
      String id = id(s.service(), s.labels());
      if (id != null) {
        byGpu.computeIfAbsent(id, k -> new ArrayList<>()).add(s);
      }
    }
    Map<String, Freshness> fresh = new HashMap<>();
    List<Gpu> out = new ArrayList<>();
    byGpu.forEach((id, list) -> {
      MetricSample newest = list.get(0);
      Map<String, String> l = newest.labels();
      Map<String, Double> figures = new HashMap<>();
      for (MetricSample s : list) { // newest first: the first of each name wins
        if (Double.isFinite(s.value())) {
          figures.putIfAbsent(s.name(), s.value());
        }
      }
      // Kubernetes labels appear only on some series (per process); take the newest that has them
      Map<String, String> pod = list.stream().map(MetricSample::labels).filter(m -> m.get("pod") != null)
          .findFirst().orElse(Map.of());
      Freshness f = fresh.computeIfAbsent(newest.service(), svc -> Freshness.of(store, svc, since, now));
      out.add(new Gpu(id, newest.service(), NVIDIA_SMI.equals(l.get("source")) ? NVIDIA_SMI : "dcgm", host(l),
          l.get("gpu"), l.get("UUID"), l.get("modelName"), l.get("GPU_I_PROFILE"), l.get("GPU_I_ID"), pod.get("pod"),
          pod.get("namespace"), pod.get("container"), figures.get(GpuFigure.UTILIZATION.metric()),
          figures.get(GpuFigure.MEMORY_USED.metric()), figures.get(GpuFigure.MEMORY_FREE.metric()),
          figures.get(GpuFigure.POWER.metric()), figures.get(GpuFigure.TEMPERATURE.metric()),
          figures.get(GpuFigure.SM_CLOCK.metric()), figures.get(GpuFigure.XID_ERRORS.metric()), newest.time(),
          f.stale(newest.time(), now)));
    });
    // as an operator numbers them: by exporter, host, then device index (GPU 0 before GPU 1, and 2 before 10)
    out.sort(Comparator.comparing(Gpu::service, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparing(Gpu::host, Comparator.nullsLast(Comparator.naturalOrder()))
        .thenComparingLong(g -> index(g.gpu()))
        .thenComparing(Gpu::id));
    return out;
  }

  /** The figure of one GPU over time (the mean of its samples in each bucket); empty for an unknown GPU. */
  Optional<FigureSeries> series(String gpuId, GpuFigure figure, Instant since, Instant until, Duration step) {
    Optional<Gpu> gpu = gpus(until, Duration.between(since, until)).stream().filter(g -> g.id().equals(gpuId))
        .findFirst();
    if (gpu.isEmpty()) {
      return Optional.empty();
    }
    Gpu g = gpu.get();
    Map<String, String> where = new HashMap<>();
    if (g.uuid() != null) {
      where.put("UUID", g.uuid());
    } else {
      where.put("gpu", g.gpu());
    }
    // a MIG instance shares its parent's UUID: group by the instance and keep this one's group
    List<MetricSeries> found = store.metricSeries(new MetricQuery(List.of(figure.metric()), g.service(), where,
        List.of("GPU_I_ID", "Hostname", "hostname"), since, until, step, "avg"));
    List<MetricValue> points = new ArrayList<>();
    for (MetricSeries s : found) {
      String host = s.group().get("Hostname") != null ? s.group().get("Hostname") : s.group().get("hostname");
      if (java.util.Objects.equals(s.group().get("GPU_I_ID"), g.migInstance())
          && java.util.Objects.equals(host, g.host())) {
        points.addAll(s.values());
      }
    }
    points.sort(Comparator.comparing(MetricValue::time));
    return Optional.of(new FigureSeries(gpuId, figure.key(), figure.unit(), points));
  }

  /** The GPU's id, or null for a series that names no GPU (dcgm-exporter's label-less fields). */
  static String id(String service, Map<String, String> labels) {
    String uuid = labels.get("UUID");
    String mig = labels.get("GPU_I_ID");
    String base;
    if (uuid != null && !uuid.isBlank()) {
      base = service + ":" + uuid;
    } else if (labels.get("gpu") != null) {
      base = service + ":" + (host(labels) == null ? "" : host(labels) + ":") + labels.get("gpu");
    } else {
      return null;
    }
    return mig == null || mig.isBlank() ? base : base + ":" + mig;
  }

  static String host(Map<String, String> labels) {
    return labels.get("Hostname") != null ? labels.get("Hostname") : labels.get("hostname");
  }

  private static long index(String gpu) {
    try {
      return gpu == null ? Long.MAX_VALUE : Long.parseLong(gpu.trim());
    } catch (NumberFormatException e) {
      return Long.MAX_VALUE;
    }
  }
}
