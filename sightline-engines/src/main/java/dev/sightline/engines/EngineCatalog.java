package dev.sightline.engines;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The alias table: for each engine and canonical {@link Figure}, the metric names (as stored) that
 * carry it across engine versions, how each is read, and its scale to the figure's unit. The one
 * place that knows engine metric names.
 *
 * <p>Stored names follow the Prometheus text reader: a counter is stored under the family name its
 * {@code # TYPE} line gives, so a 0.0.4 page that declares {@code # TYPE x_total counter} (Python's
 * prometheus_client, llama.cpp) is stored as {@code x_total}, while an OpenMetrics page of the same
 * engine declares {@code x} and is stored as {@code x}. Both forms are listed for every counter; only
 * one of them is ever present for one target, so reading both as one series never counts twice.
 *
 * <p>Sources of the names (facts only, nothing copied):
 * <ul>
 *   <li>vLLM: shared/fixtures/local-llm/vllm-metrics.datadog-fixture.prom (V0 capture plus V1 names)
 *       and llmkube-vllm-series-names.txt (current V1). KV usage is a ratio: the HELP text says
 *       "1 means 100 percent usage" despite the {@code _perc} suffix. V0 {@code gpu_cache_usage_perc}
 *       became V1 {@code kv_cache_usage_perc}; {@code time_per_output_token_seconds} became
 *       {@code inter_token_latency_seconds}; V0 had the {@code gpu_prefix_cache_hit_rate} gauge, V1 the
 *       {@code prefix_cache_queries} / {@code prefix_cache_hits} counters (tokens).
 *   <li>SGLang: sglang-metrics.docs-example.prom (older names, {@code time_per_output_token_seconds})
 *       and llmkube-sglang-series-names.txt (current: {@code inter_token_latency_seconds},
 *       {@code cached_tokens_total}). {@code token_usage} and {@code cache_hit_rate} are ratios (0.28 and
 *       0.0075 in the docs example).
 *   <li>TGI: the metric table at huggingface.co/docs/text-generation-inference/reference/metrics and
 *       DataDog/integrations-core hugging_face_tgi/tests/fixtures/payload.txt (a live page: counters are
 *       declared without {@code _total}, e.g. {@code # TYPE tgi_request_count counter}; token counts
 *       are histograms). TGI exports no KV-cache, preemption, prefix-cache or TTFT series.
 *   <li>llama.cpp: llmkube-llamacpp-series-names.txt (current build) and the server README's metric
 *       list (ggml-org/llama.cpp tools/server/README.md), which has {@code llamacpp:kv_cache_usage_ratio}
 *       ("1 means 100 percent usage") in older builds; llama.cpp declares its counters with
 *       {@code _total} in the {@code # TYPE} line.
 * </ul>
 */
public final class EngineCatalog {

  /** How a source name is read. */
  public enum Shape {
    /** A gauge: its value. */
    GAUGE,
    /** A counter: its rate per second. */
    COUNTER,
    /** A histogram of the figure's quantity (seconds for latencies). */
    HISTOGRAM,
    /** A histogram of token counts per request: Δsum ÷ Δt is tokens per second. */
    HISTOGRAM_SUM,
    /** The hits counter of a hit rate. */
    HITS,
    /** The queries counter of a hit rate. */
    QUERIES
  }

  /** One stored metric name that carries a figure; {@code scale} multiplies its value into the figure's unit. */
  public record Source(String name, Shape shape, double scale) {}

  private static final Map<EngineKind, Map<Figure, List<Source>>> TABLE = new EnumMap<>(EngineKind.class);

  static {
    // vLLM: newest name first
    put(EngineKind.VLLM, Figure.KV_CACHE_USAGE, gauge("vllm:kv_cache_usage_perc"), gauge("vllm:gpu_cache_usage_perc"));
    put(EngineKind.VLLM, Figure.REQUESTS_RUNNING, gauge("vllm:num_requests_running"));
    put(EngineKind.VLLM, Figure.REQUESTS_WAITING, gauge("vllm:num_requests_waiting"));
    put(EngineKind.VLLM, Figure.PREEMPTIONS, counter("vllm:num_preemptions"));
    put(EngineKind.VLLM, Figure.PREFIX_CACHE_HIT_RATE, join(
        counter("vllm:prefix_cache_hits", Shape.HITS), counter("vllm:prefix_cache_queries", Shape.QUERIES),
        List.of(gauge("vllm:gpu_prefix_cache_hit_rate"))));
    put(EngineKind.VLLM, Figure.TTFT, histogram("vllm:time_to_first_token_seconds"));
    put(EngineKind.VLLM, Figure.ITL, histogram("vllm:inter_token_latency_seconds"),
        histogram("vllm:time_per_output_token_seconds"));
    put(EngineKind.VLLM, Figure.E2E, histogram("vllm:e2e_request_latency_seconds"));
    put(EngineKind.VLLM, Figure.PROMPT_TOKENS, counter("vllm:prompt_tokens"));
    put(EngineKind.VLLM, Figure.GENERATION_TOKENS, counter("vllm:generation_tokens"));

    put(EngineKind.SGLANG, Figure.KV_CACHE_USAGE, gauge("sglang:token_usage"));
    put(EngineKind.SGLANG, Figure.REQUESTS_RUNNING, gauge("sglang:num_running_reqs"));
    put(EngineKind.SGLANG, Figure.REQUESTS_WAITING, gauge("sglang:num_queue_reqs"));
    // cached prompt tokens over prompt tokens where the counters exist, else SGLang's own gauge
    put(EngineKind.SGLANG, Figure.PREFIX_CACHE_HIT_RATE, join(
        counter("sglang:cached_tokens", Shape.HITS), counter("sglang:prompt_tokens", Shape.QUERIES),
        List.of(gauge("sglang:cache_hit_rate"))));
    put(EngineKind.SGLANG, Figure.TTFT, histogram("sglang:time_to_first_token_seconds"));
    put(EngineKind.SGLANG, Figure.ITL, histogram("sglang:inter_token_latency_seconds"),
        histogram("sglang:time_per_output_token_seconds"));
    put(EngineKind.SGLANG, Figure.E2E, histogram("sglang:e2e_request_latency_seconds"));
    put(EngineKind.SGLANG, Figure.PROMPT_TOKENS, counter("sglang:prompt_tokens"));
    put(EngineKind.SGLANG, Figure.GENERATION_TOKENS, counter("sglang:generation_tokens"));

    // TGI: the running batch is the requests in flight; token counts come as per-request histograms
    put(EngineKind.TGI, Figure.REQUESTS_RUNNING, gauge("tgi_batch_current_size"));
    put(EngineKind.TGI, Figure.REQUESTS_WAITING, gauge("tgi_queue_size"));
    put(EngineKind.TGI, Figure.ITL, histogram("tgi_request_mean_time_per_token_duration"));
    put(EngineKind.TGI, Figure.E2E, histogram("tgi_request_duration"));
    put(EngineKind.TGI, Figure.PROMPT_TOKENS, new Source("tgi_request_input_length", Shape.HISTOGRAM_SUM, 1));
    put(EngineKind.TGI, Figure.GENERATION_TOKENS, new Source("tgi_request_generated_tokens", Shape.HISTOGRAM_SUM, 1));

    put(EngineKind.LLAMACPP, Figure.KV_CACHE_USAGE, gauge("llamacpp:kv_cache_usage_ratio"));
    put(EngineKind.LLAMACPP, Figure.REQUESTS_RUNNING, gauge("llamacpp:requests_processing"));
    put(EngineKind.LLAMACPP, Figure.REQUESTS_WAITING, gauge("llamacpp:requests_deferred"));
    put(EngineKind.LLAMACPP, Figure.PROMPT_TOKENS, counter("llamacpp:prompt_tokens"));
    put(EngineKind.LLAMACPP, Figure.GENERATION_TOKENS, counter("llamacpp:tokens_predicted"));
    // Ollama reports no engine figures: its state is the loaded models (see EngineView)
  }

  private EngineCatalog() {}

  /** The names that carry the figure for this engine, newest first; empty when the engine has none. */
  public static List<Source> sources(EngineKind kind, Figure figure) {
    return TABLE.getOrDefault(kind, Map.of()).getOrDefault(figure, List.of());
  }

  /** Every name of the engine's figures. */
  public static Set<String> names(EngineKind kind) {
    Set<String> out = new LinkedHashSet<>();
    TABLE.getOrDefault(kind, Map.of()).values().forEach(l -> l.forEach(s -> out.add(s.name())));
    return out;
  }

  /**
   * The figure a stored name carries for its engine (the engine from the name's prefix), or empty.
   * A name two figures share (SGLang's prompt tokens are also the queries of its hit rate) reads as
   * the figure it is first of all: tokens per second.
   */
  public static Optional<Figure> figureOf(String name) {
    Optional<EngineKind> kind = EngineKind.of(name);
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    Figure partOfRate = null;
    for (Map.Entry<Figure, List<Source>> e : TABLE.getOrDefault(kind.get(), Map.of()).entrySet()) {
      for (Source s : e.getValue()) {
        if (s.name().equals(name)) {
          if (s.shape() != Shape.HITS && s.shape() != Shape.QUERIES) {
            return Optional.of(e.getKey());
          }
          partOfRate = partOfRate == null ? e.getKey() : partOfRate;
        }
      }
    }
    return Optional.ofNullable(partOfRate);
  }

  private static void put(EngineKind kind, Figure figure, Source... sources) {
    put(kind, figure, List.of(sources));
  }

  private static void put(EngineKind kind, Figure figure, List<Source> sources) {
    TABLE.computeIfAbsent(kind, k -> new EnumMap<>(Figure.class)).put(figure, List.copyOf(sources));
  }

  private static Source gauge(String name) {
    return new Source(name, Shape.GAUGE, 1);
  }

  private static Source histogram(String name) {
    return new Source(name, Shape.HISTOGRAM, 1);
  }

  /** Both stored forms of a counter: {@code x_total} (0.0.4 pages) first, then {@code x} (OpenMetrics). */
  private static Source[] counter(String base) {
    return counter(base, Shape.COUNTER).toArray(Source[]::new);
  }

  private static List<Source> counter(String base, Shape shape) {
    return List.of(new Source(base + "_total", shape, 1), new Source(base, shape, 1));
  }

  @SafeVarargs
  private static List<Source> join(List<Source>... lists) {
    List<Source> out = new ArrayList<>();
    for (List<Source> l : lists) {
      out.addAll(l);
    }
    return out;
  }
}
