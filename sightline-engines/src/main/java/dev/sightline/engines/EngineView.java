package dev.sightline.engines;

import dev.sightline.store.GroupBy;
import dev.sightline.store.MetricQuery;
import dev.sightline.store.MetricSample;
import dev.sightline.store.MetricSeries;
import dev.sightline.store.Store;
import dev.sightline.store.SummaryQuery;
import dev.sightline.store.SummaryRow;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The self-hosted engines and GPUs whose metrics are stored, with their figures now and over time,
 * and what their GPU time cost. {@code gpuPricePerHour} is keyed by service (the scrape target's name).
 *
 * <p>Self-hosted cost: a priced service's GPU hours over the window are the mean of its {@code up}
 * samples (the share of scrapes that succeeded) × the window's hours; that cost is shared over the
 * LLM calls of the engine's model that started in the window (matched by {@link GpuCost#sameModel}):
 * per request and per 1,000 output tokens. An engine without a model label (TGI, llama.cpp) matches
 * calls whose model is its service name; an Ollama engine matches calls of any model it lists. When
 * one service serves several models, each gets the share of the service's cost that its output
 * tokens are of all of them (an even split when none has tokens).
 */
public final class EngineView {
  private final Store store;
  private final Map<String, BigDecimal> gpuPricePerHour;
  private final FigureReader figures;
  private final GpuReader gpus;

  public EngineView(Store store, Map<String, BigDecimal> gpuPricePerHour) {
    this.store = store;
    this.gpuPricePerHour = gpuPricePerHour == null ? Map.of() : Map.copyOf(gpuPricePerHour);
    this.figures = new FigureReader(store);
    this.gpus = new GpuReader(store);
  }

  /** The engines with metrics in [now − window, now), ordered by id, with their figures over that window. */
  public List<Engine> engines(Instant now, Duration window) {
    check(now, window);
    Instant since = now.minus(window);
    List<EngineRef> refs = EngineDetection.detect(store, since, now);
    Map<String, Freshness> fresh = new HashMap<>();
    List<Engine> out = new ArrayList<>();
    Map<EngineRef, EngineFigures> nowFigures = new HashMap<>();
    Map<EngineRef, List<OllamaModel>> ollama = new HashMap<>();
    for (EngineRef e : refs) {
      nowFigures.put(e, e.kind() == EngineKind.OLLAMA ? EngineFigures.NONE : figures.now(e, now, window));
      if (e.kind() == EngineKind.OLLAMA) {
        ollama.put(e, OllamaReader.models(store, e, now, window));
      }
    }
    refs.forEach(e -> fresh.computeIfAbsent(e.service(), s -> Freshness.of(store, s, since, now)));
    Map<EngineRef, EngineCost> costs = costs(refs, ollama, fresh, now, window);
    for (EngineRef e : refs) {
      Freshness f = fresh.get(e.service());
      // the engine's own newest sample: a model that left a page still scraped goes stale by itself
      Instant own = newestSample(e, since, now);
      Instant seen = own != null ? own : f.lastSeen();
      boolean stale = f.stale(seen, now);
      Boolean up = f.upAt(now);
      out.add(new Engine(e.id(), e.service(), e.kind(), e.model(), up != null && stale ? Boolean.FALSE : up, seen,
          stale, nowFigures.get(e), costs.get(e), ollama.get(e)));
    }
    out.sort(java.util.Comparator.comparing(Engine::id));
    return out;
  }

  /** The GPUs with metrics in [now − window, now), with their newest figures. */
  public List<Gpu> gpus(Instant now, Duration window) {
    check(now, window);
    return gpus.gpus(now, window);
  }

  /** A figure of one engine over time (latencies at p95); empty when no engine has that id in the window. */
  public Optional<FigureSeries> engineSeries(String engineId, Figure f, Instant since, Instant until, Duration step) {
    return engineSeries(engineId, f, f.latency() ? 0.95 : null, since, until, step);
  }

  /** As {@link #engineSeries(String, Figure, Instant, Instant, Duration)}, a latency at {@code quantile} (0..1). */
  public Optional<FigureSeries> engineSeries(String engineId, Figure f, Double quantile, Instant since, Instant until,
      Duration step) {
    check(until, since == null ? null : Duration.between(since, until));
    Optional<EngineRef> ref = EngineDetection.detect(store, since, until).stream()
        .filter(e -> e.id().equals(engineId)).findFirst();
    if (ref.isEmpty()) {
      return Optional.empty();
    }
    String name = f.latency() ? f.key() + "P" + Math.round((quantile == null ? 0.95 : quantile) * 100) + "Ms" : f.key();
    return Optional.of(new FigureSeries(engineId, name, f.unit(),
        figures.series(ref.get(), f, quantile, since, until, step)));
  }

  /** A figure of one GPU over time (bucket means); empty when no GPU has that id in the window. */
  public Optional<FigureSeries> gpuSeries(String gpuId, GpuFigure f, Instant since, Instant until, Duration step) {
    check(until, since == null ? null : Duration.between(since, until));
    return gpus.series(gpuId, f, since, until, step);
  }

  private static void check(Instant now, Duration window) {
    if (now == null || window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the window must be a positive duration ending at a given time; got "
          + window + " ending at " + now);
    }
  }

  private Instant newestSample(EngineRef e, Instant since, Instant until) {
    List<String> names = e.names().stream().sorted().toList();
    Map<String, String> where = e.model() == null || e.kind().modelLabel() == null ? Map.of()
        : Map.of(e.kind().modelLabel(), e.model());
    return EngineDetection.latest(store, names, e.service(), where, since, until).stream()
        .map(MetricSample::time).max(Instant::compareTo).orElse(null);
  }

  private Map<EngineRef, EngineCost> costs(List<EngineRef> refs, Map<EngineRef, List<OllamaModel>> ollama,
      Map<String, Freshness> fresh, Instant now, Duration window) {
    Map<EngineRef, EngineCost> out = new HashMap<>();
    if (refs.stream().noneMatch(e -> gpuPricePerHour.containsKey(e.service()))) {
      return out;
    }
    Instant since = now.minus(window);
    List<SummaryRow> rows = store.summary(new SummaryQuery(GroupBy.MODEL, since, now, SummaryQuery.Sort.CALLS,
        10_000, false));
    Map<String, List<EngineRef>> byService = new HashMap<>();
    refs.forEach(e -> byService.computeIfAbsent(e.service(), s -> new ArrayList<>()).add(e));
    byService.forEach((service, engines) -> {
      BigDecimal price = gpuPricePerHour.get(service);
      if (price == null) {
        return;
      }
      Long up = upMillis(service, fresh.get(service), since, now);
      Map<EngineRef, long[]> served = new HashMap<>();
      long tokens = 0;
      for (EngineRef e : engines) {
        long[] s = served(e, rows, ollama.get(e));
        served.put(e, s);
        tokens += s[1];
      }
      for (EngineRef e : engines) {
        if (up == null) {
          out.put(e, GpuCost.unknownTime(price, service));
          continue;
        }
        BigDecimal hours = GpuCost.gpuHours(up);
        long[] s = served.get(e);
        out.put(e, GpuCost.of(price, hours, GpuCost.share(s[1], tokens, engines.size()), s[0], s[1],
            e.model() != null ? e.model() : e.service()));
      }
    });
    return out;
  }

  /** Requests and output tokens of the calls whose model is this engine's. */
  private static long[] served(EngineRef e, List<SummaryRow> rows, List<OllamaModel> ollamaModels) {
    List<String> models = new ArrayList<>();
    if (ollamaModels != null) {
      ollamaModels.forEach(m -> models.add(m.model()));
    } else {
      models.add(e.model() != null ? e.model() : e.service());
    }
    long requests = 0;
    long tokens = 0;
    for (SummaryRow r : rows) {
      if (models.stream().anyMatch(m -> GpuCost.sameModel(m, r.key()))) {
        requests += r.calls();
        tokens += r.outputTokens();
      }
    }
    return new long[] {requests, tokens};
  }

  /**
   * How long the service was seen up in the window: its {@code up} gauge in buckets of its scrape
   * interval, each bucket's mean times the part of the bucket inside the window. Time before the first
   * scrape, or while nothing was scraped, is not counted; null when the service has no up sample.
   */
  private Long upMillis(String service, Freshness f, Instant since, Instant until) {
    if (f.lastSeen() == null) {
      return null;
    }
    Duration step = f.interval() != null && f.interval().compareTo(Duration.ofSeconds(1)) >= 0 ? f.interval()
        : Duration.ofSeconds(15);
    Duration window = Duration.between(since, until);
    if (window.dividedBy(step) > 5_000) {
      step = window.dividedBy(5_000).plusSeconds(1); // the reader's bucket limit, with room
    }
    List<MetricSeries> s = store.metricSeries(new MetricQuery(List.of("up"), service, Map.of(), List.of(), since,
        until, step, "avg"));
    if (s.isEmpty()) {
      return null;
    }
    double millis = 0;
    for (dev.sightline.store.MetricValue v : s.get(0).values()) {
      Instant from = v.time().isBefore(since) ? since : v.time();
      Instant end = v.time().plus(step);
      Instant to = end.isAfter(until) ? until : end;
      long overlap = Duration.between(from, to).toMillis();
      if (overlap > 0 && Double.isFinite(v.value())) {
        millis += Math.max(0, Math.min(1, v.value())) * overlap;
      }
    }
    return Math.round(millis);
  }
}
