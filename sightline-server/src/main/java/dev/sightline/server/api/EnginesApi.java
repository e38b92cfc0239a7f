package dev.sightline.server.api;

import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.engines.Engine;
import dev.sightline.engines.EngineCost;
import dev.sightline.engines.EngineFigures;
import dev.sightline.engines.EngineView;
import dev.sightline.engines.Figure;
import dev.sightline.engines.FigureSeries;
import dev.sightline.engines.Gpu;
import dev.sightline.engines.GpuFigure;
import dev.sightline.engines.OllamaModel;
import dev.sightline.store.Store;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The self-hosted engine and GPU endpoints: {@code /api/v1/engines} (each engine with its model,
 * health, figures now and GPU cost), {@code /api/v1/gpus}, and one figure of one engine or GPU over
 * time ({@code /series}).
 */
public final class EnginesApi {
  private static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  private static final Duration MAX_WINDOW = Duration.ofDays(31);
  private static final List<String> ENGINE_FIGURES = List.of("kvCacheUsage", "requestsRunning", "requestsWaiting",
      "preemptionsPerSec", "prefixCacheHitRate", "promptTokensPerSec", "generationTokensPerSec", "ttftP50Ms",
      "ttftP95Ms", "itlP50Ms", "itlP95Ms", "e2eP50Ms", "e2eP95Ms");

  private final EngineView view;
  private final Executor blocking;
  private final Clock clock;

  /** {@code gpuPricePerHour}: USD per hour by service (scrape target) name, from {@code --gpu-price name=$/h}. */
  public EnginesApi(Store store, Map<String, BigDecimal> gpuPricePerHour, Executor blocking) {
    this(store, gpuPricePerHour, blocking, Clock.systemUTC());
  }

  EnginesApi(Store store, Map<String, BigDecimal> gpuPricePerHour, Executor blocking, Clock clock) {
    this.view = new EngineView(store, gpuPricePerHour);
    this.blocking = blocking;
    this.clock = clock;
  }

  public void bind(ServerBuilder sb) {
    sb.service("/api/v1/engines", ApiEndpoints.get(blocking, clock, this::engines, Set.of("window")));
    sb.service("/api/v1/engines/series", ApiEndpoints.get(blocking, clock, this::engineSeries,
        Set.of("engine", "figure", "since", "until", "step")));
    sb.service("/api/v1/gpus", ApiEndpoints.get(blocking, clock, this::gpus, Set.of("window")));
    sb.service("/api/v1/gpus/series", ApiEndpoints.get(blocking, clock, this::gpuSeries,
        Set.of("gpu", "figure", "since", "until", "step")));
  }

  private Object engines(ApiRequest r) {
    String w = r.param("window");
    Duration window = window(w);
    List<Object> out = new ArrayList<>();
    for (Engine e : view.engines(r.now(), window)) {
      out.add(engine(e));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("window", w == null ? "5m" : w);
    body.put("windowMs", window.toMillis());
    body.put("engines", out);
    return body;
  }

  private Object gpus(ApiRequest r) {
    String w = r.param("window");
    Duration window = window(w);
    List<Object> out = new ArrayList<>();
    for (Gpu g : view.gpus(r.now(), window)) {
      out.add(gpu(g));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("window", w == null ? "5m" : w);
    body.put("windowMs", window.toMillis());
    body.put("gpus", out);
    return body;
  }

  private Object engineSeries(ApiRequest r) {
    String id = required(r, "engine", "an engine id from /api/v1/engines, e.g. engine=vllm:meta-llama/Llama-3.1-8B-Instruct");
    String name = required(r, "figure", "one of " + String.join(", ", ENGINE_FIGURES));
    Figure.Named f = Figure.parse(name).orElseThrow(() -> new ApiException(400, "invalid_parameter",
        "'figure' must be one of " + String.join(", ", ENGINE_FIGURES) + "; got '" + name + "'"));
    MetricsApi.SeriesWindow w = MetricsApi.seriesWindow(r);
    FigureSeries s = view.engineSeries(id, f.figure(), f.quantile(), w.since(), w.until(), w.step())
        .orElseThrow(() -> new ApiException(404, "engine_not_found", "no engine '" + id + "' has metrics from "
            + w.since() + " to " + w.until() + "; /api/v1/engines lists the engines of a window"));
    Map<String, Object> body = series(s, w);
    body.put("engine", id);
    return body;
  }

  private Object gpuSeries(ApiRequest r) {
    String keys = String.join(", ", Arrays.stream(GpuFigure.values()).map(GpuFigure::key).toList());
    String id = required(r, "gpu", "a GPU id from /api/v1/gpus");
    String name = required(r, "figure", "one of " + keys);
    GpuFigure f = GpuFigure.parse(name).orElseThrow(() -> new ApiException(400, "invalid_parameter",
        "'figure' must be one of " + keys + "; got '" + name + "'"));
    MetricsApi.SeriesWindow w = MetricsApi.seriesWindow(r);
    FigureSeries s = view.gpuSeries(id, f, w.since(), w.until(), w.step())
        .orElseThrow(() -> new ApiException(404, "gpu_not_found", "no GPU '" + id + "' has metrics from "
            + w.since() + " to " + w.until() + "; /api/v1/gpus lists the GPUs of a window"));
    Map<String, Object> body = series(s, w);
    body.put("gpu", id);
    return body;
  }

  private static String required(ApiRequest r, String name, String hint) {
    String v = r.param(name);
    if (v == null) {
      throw new ApiException(400, "missing_parameter", "'" + name + "' is required: " + hint);
    }
    return v;
  }

  /** {@code 30s}, {@code 5m}, {@code 1h}, {@code 7d}: up to 31 days; 5 minutes when absent. */
  static Duration window(String value) {
    if (value == null) {
      return DEFAULT_WINDOW;
    }
    Duration d = MetricsApi.amount(value);
    if (d == null || d.compareTo(MAX_WINDOW) > 0) {
      throw new ApiException(400, "invalid_parameter", "'window' must be a duration such as 30s, 5m, 1h or 7d, at"
          + " most 31d; got '" + value + "'");
    }
    return d;
  }

  private static Map<String, Object> series(FigureSeries s, MetricsApi.SeriesWindow w) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("figure", s.figure());
    body.put("unit", s.unit());
    body.put("since", w.since().toString());
    body.put("until", w.until().toString());
    body.put("stepMs", w.step().toMillis());
    body.put("points", MetricsApi.points(s.points()));
    return body;
  }

  private static Map<String, Object> engine(Engine e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", e.id());
    m.put("service", e.service());
    m.put("engine", e.kind().wire());
    m.put("model", e.model());
    m.put("up", e.up());
    m.put("lastSeen", e.lastSeen() == null ? null : e.lastSeen().toString());
    m.put("stale", e.stale());
    m.put("now", figures(e.now()));
    m.put("cost", e.cost() == null ? null : cost(e.cost()));
    if (e.ollamaModels() != null) {
      List<Object> models = new ArrayList<>();
      for (OllamaModel o : e.ollamaModels()) {
        models.add(ollama(o));
      }
      m.put("ollama", Map.of("models", models));
    }
    return m;
  }

  private static Map<String, Object> figures(EngineFigures f) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kvCacheUsage", f.kvCacheUsage());
    m.put("requestsRunning", f.requestsRunning());
    m.put("requestsWaiting", f.requestsWaiting());
    m.put("preemptionsPerSec", f.preemptionsPerSec());
    m.put("prefixCacheHitRate", f.prefixCacheHitRate());
    m.put("promptTokensPerSec", f.promptTokensPerSec());
    m.put("generationTokensPerSec", f.generationTokensPerSec());
    m.put("ttftP50Ms", f.ttftP50Ms());
    m.put("ttftP95Ms", f.ttftP95Ms());
    m.put("itlP50Ms", f.itlP50Ms());
    m.put("itlP95Ms", f.itlP95Ms());
    m.put("e2eP50Ms", f.e2eP50Ms());
    m.put("e2eP95Ms", f.e2eP95Ms());
    return m;
  }

  private static Map<String, Object> cost(EngineCost c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gpuPricePerHour", c.gpuPricePerHour());
    m.put("gpuHours", c.gpuHours());
    m.put("cost", c.cost());
    m.put("requests", c.requests());
    m.put("outputTokens", c.outputTokens());
    m.put("costPerRequest", c.costPerRequest());
    m.put("costPer1kOutputTokens", c.costPer1kOutputTokens());
    m.put("reason", c.reason());
    return m;
  }

  private static Map<String, Object> ollama(OllamaModel o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model", o.model());
    m.put("loaded", o.loaded());
    m.put("sizeBytes", o.sizeBytes());
    m.put("vramBytes", o.vramBytes());
    m.put("gpuShare", o.gpuShare());
    m.put("expiresInSeconds", o.expiresInSeconds());
    m.put("coldLoads", o.coldLoads());
    m.put("available", o.available());
    m.put("family", o.family());
    m.put("parameterSize", o.parameterSize());
    m.put("quantization", o.quantization());
    m.put("lastSeen", o.lastSeen() == null ? null : o.lastSeen().toString());
    return m;
  }

  private static Map<String, Object> gpu(Gpu g) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", g.id());
    m.put("service", g.service());
    m.put("source", g.source());
    m.put("host", g.host());
    m.put("gpu", g.gpu());
    m.put("uuid", g.uuid());
    m.put("model", g.model());
    if (g.migProfile() == null && g.migInstance() == null) {
      m.put("mig", null);
    } else {
      Map<String, Object> mig = new LinkedHashMap<>();
      mig.put("profile", g.migProfile());
      mig.put("instance", g.migInstance());
      m.put("mig", mig);
    }
    m.put("pod", g.pod());
    m.put("namespace", g.namespace());
    m.put("container", g.container());
    m.put("utilization", g.utilization());
    m.put("memoryUsedMiB", g.memoryUsedMiB());
    m.put("memoryFreeMiB", g.memoryFreeMiB());
    m.put("powerWatts", g.powerWatts());
    m.put("temperatureC", g.temperatureC());
    m.put("smClockMhz", g.smClockMhz());
    m.put("xidErrors", g.xidErrors());
    m.put("lastSeen", g.lastSeen() == null ? null : g.lastSeen().toString());
    m.put("stale", g.stale());
    return m;
  }
}
