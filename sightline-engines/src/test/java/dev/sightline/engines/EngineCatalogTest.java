package dev.sightline.engines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.engines.EngineCatalog.Shape;
import dev.sightline.engines.EngineCatalog.Source;
import dev.sightline.model.MetricPoint;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The alias table against the names real engines store (shared/fixtures/local-llm). */
class EngineCatalogTest {

  private static Set<String> stored(String file) {
    return Fixtures.page(file, 1_700_000_000_000_000_000L, "engine").stream().map(MetricPoint::name)
        .collect(Collectors.toSet());
  }

  /** A name list of sample lines as a 0.0.4 page would store them: histogram families without their suffixes. */
  private static Set<String> storedFromSeriesList(String file) {
    return Fixtures.lines(file).stream().map(n -> n.replaceFirst("_(bucket|count|sum)$", ""))
        .collect(Collectors.toSet());
  }

  private static Figure figure(String name) {
    return EngineCatalog.figureOf(name).orElseThrow(() -> new AssertionError(name + " is not in the alias table"));
  }

  @Test
  void everyFigureOfTheVllmPageIsFoundUnderTheNameTheReaderStores() {
    Set<String> names = stored("vllm-metrics.datadog-fixture.prom");
    // the page declares its counters with _total, so they are stored with it
    assertThat(names).contains("vllm:num_preemptions_total", "vllm:prompt_tokens_total",
        "vllm:generation_tokens_total", "vllm:prefix_cache_hits_total", "vllm:prefix_cache_queries_total");
    assertThat(figure("vllm:gpu_cache_usage_perc")).isEqualTo(Figure.KV_CACHE_USAGE);
    assertThat(figure("vllm:kv_cache_usage_perc")).isEqualTo(Figure.KV_CACHE_USAGE);
    assertThat(figure("vllm:num_requests_running")).isEqualTo(Figure.REQUESTS_RUNNING);
    assertThat(figure("vllm:num_requests_waiting")).isEqualTo(Figure.REQUESTS_WAITING);
    assertThat(figure("vllm:num_preemptions_total")).isEqualTo(Figure.PREEMPTIONS);
    assertThat(figure("vllm:prefix_cache_hits_total")).isEqualTo(Figure.PREFIX_CACHE_HIT_RATE);
    assertThat(figure("vllm:prefix_cache_queries_total")).isEqualTo(Figure.PREFIX_CACHE_HIT_RATE);
    assertThat(figure("vllm:time_to_first_token_seconds")).isEqualTo(Figure.TTFT);
    assertThat(figure("vllm:time_per_output_token_seconds")).isEqualTo(Figure.ITL);
    assertThat(figure("vllm:inter_token_latency_seconds")).isEqualTo(Figure.ITL);
    assertThat(figure("vllm:e2e_request_latency_seconds")).isEqualTo(Figure.E2E);
    assertThat(figure("vllm:prompt_tokens_total")).isEqualTo(Figure.PROMPT_TOKENS);
    assertThat(figure("vllm:generation_tokens_total")).isEqualTo(Figure.GENERATION_TOKENS);
    for (Figure f : Figure.values()) {
      assertThat(EngineCatalog.sources(EngineKind.VLLM, f)).as(f.name())
          .anyMatch(s -> names.contains(s.name()));
    }
  }

  @Test
  void theCurrentVllmNameListIsCovered() {
    Set<String> names = storedFromSeriesList("llmkube-vllm-series-names.txt");
    for (Figure f : Figure.values()) {
      assertThat(EngineCatalog.sources(EngineKind.VLLM, f)).as(f.name()).anyMatch(s -> names.contains(s.name()));
    }
  }

  @Test
  void sglangOldAndNewNamesReadAsTheSameFigures() {
    Set<String> old = stored("sglang-metrics.docs-example.prom");
    Set<String> current = storedFromSeriesList("llmkube-sglang-series-names.txt");
    for (Figure f : Figure.values()) {
      if (f == Figure.PREEMPTIONS) {
        continue; // SGLang has no preemption counter (retracted requests are a gauge)
      }
      assertThat(EngineCatalog.sources(EngineKind.SGLANG, f)).as("docs page: " + f).anyMatch(s -> old.contains(s.name()));
      assertThat(EngineCatalog.sources(EngineKind.SGLANG, f)).as("current: " + f)
          .anyMatch(s -> current.contains(s.name()));
    }
    assertThat(figure("sglang:time_per_output_token_seconds")).isEqualTo(figure("sglang:inter_token_latency_seconds"))
        .isEqualTo(Figure.ITL);
    assertThat(figure("sglang:token_usage")).isEqualTo(Figure.KV_CACHE_USAGE);
    assertThat(figure("sglang:num_queue_reqs")).isEqualTo(Figure.REQUESTS_WAITING);
    // prompt tokens are also the denominator of the token hit rate, but read first as tokens per second
    assertThat(figure("sglang:prompt_tokens_total")).isEqualTo(Figure.PROMPT_TOKENS);
    assertThat(figure("sglang:cached_tokens_total")).isEqualTo(Figure.PREFIX_CACHE_HIT_RATE);
  }

  @Test
  void llamaCppCurrentBuildAndOlderKvGauge() {
    Set<String> names = storedFromSeriesList("llmkube-llamacpp-series-names.txt");
    assertThat(figure("llamacpp:prompt_tokens_total")).isEqualTo(Figure.PROMPT_TOKENS);
    assertThat(figure("llamacpp:tokens_predicted_total")).isEqualTo(Figure.GENERATION_TOKENS);
    assertThat(figure("llamacpp:requests_processing")).isEqualTo(Figure.REQUESTS_RUNNING);
    assertThat(figure("llamacpp:requests_deferred")).isEqualTo(Figure.REQUESTS_WAITING);
    assertThat(figure("llamacpp:kv_cache_usage_ratio")).isEqualTo(Figure.KV_CACHE_USAGE);
    for (Figure f : Set.of(Figure.PROMPT_TOKENS, Figure.GENERATION_TOKENS, Figure.REQUESTS_RUNNING,
        Figure.REQUESTS_WAITING)) {
      assertThat(EngineCatalog.sources(EngineKind.LLAMACPP, f)).as(f.name()).anyMatch(s -> names.contains(s.name()));
    }
    // the current build has no KV series: the figure is simply absent there
    assertThat(EngineCatalog.sources(EngineKind.LLAMACPP, Figure.KV_CACHE_USAGE)).noneMatch(s -> names.contains(s.name()));
  }

  @Test
  void tgiNamesFromItsMetricTable() {
    assertThat(figure("tgi_queue_size")).isEqualTo(Figure.REQUESTS_WAITING);
    assertThat(figure("tgi_batch_current_size")).isEqualTo(Figure.REQUESTS_RUNNING);
    assertThat(figure("tgi_request_duration")).isEqualTo(Figure.E2E);
    assertThat(figure("tgi_request_mean_time_per_token_duration")).isEqualTo(Figure.ITL);
    assertThat(EngineCatalog.sources(EngineKind.TGI, Figure.GENERATION_TOKENS))
        .containsExactly(new Source("tgi_request_generated_tokens", Shape.HISTOGRAM_SUM, 1));
    assertThat(EngineCatalog.sources(EngineKind.TGI, Figure.KV_CACHE_USAGE)).isEmpty();
  }

  @Test
  void everyCounterIsListedInBothStoredFormsAndEveryNameUnderItsEnginesPrefix() {
    for (EngineKind k : EngineKind.values()) {
      for (Figure f : Figure.values()) {
        for (Source s : EngineCatalog.sources(k, f)) {
          assertThat(s.name()).startsWith(k.prefix());
          assertThat(EngineKind.of(s.name())).contains(k);
          if (s.shape() == Shape.COUNTER || s.shape() == Shape.HITS || s.shape() == Shape.QUERIES) {
            String other = s.name().endsWith("_total") ? s.name().substring(0, s.name().length() - 6)
                : s.name() + "_total";
            assertThat(EngineCatalog.sources(k, f)).extracting(Source::name).as(s.name()).contains(other);
          }
        }
      }
    }
    assertThat(EngineCatalog.figureOf("vllm:num_preemptions")).contains(Figure.PREEMPTIONS);
    assertThat(EngineCatalog.figureOf("vllm:cache_config_info")).isEmpty();
    assertThat(EngineCatalog.figureOf("DCGM_FI_DEV_GPU_UTIL")).isEqualTo(Optional.empty());
    assertThat(EngineCatalog.figureOf(null)).isEmpty();
  }

  @Test
  void figuresParseAsTheSeriesApiNamesThem() {
    assertThat(Figure.parse("kvCacheUsage")).contains(new Figure.Named(Figure.KV_CACHE_USAGE, null));
    assertThat(Figure.parse("ttftP95Ms")).contains(new Figure.Named(Figure.TTFT, 0.95));
    assertThat(Figure.parse("itlP50Ms")).contains(new Figure.Named(Figure.ITL, 0.5));
    assertThat(Figure.parse("ttft")).isEmpty();
    assertThat(Figure.parse("ttftP42Ms")).isEmpty();
    assertThat(Figure.parse("KV_CACHE_USAGE")).isEmpty();
    assertThat(GpuFigure.parse("memoryUsedMiB")).contains(GpuFigure.MEMORY_USED);
    assertThat(GpuFigure.parse("vram")).isEmpty();
  }
}
