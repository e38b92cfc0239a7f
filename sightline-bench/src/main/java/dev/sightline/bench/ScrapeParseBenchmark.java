package dev.sightline.bench;

import dev.sightline.scrape.PrometheusText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Prometheus / OpenMetrics text parser on one thread: pages per second, and (the {@code samples}
 * counter) sample lines per second, for the real vLLM, SGLang and DCGM pages of
 * shared/fixtures/local-llm and for a large page (the vLLM page for 32 models, ≈ 5k sample lines, what
 * a multi-model engine or a node exporter serves).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ScrapeParseBenchmark {

  @Param({"vllm", "sglang", "dcgm", "vllm-32-models"})
  public String page;

  private String text;
  private int sampleLines;

  /** Sample lines parsed, reported by JMH per second beside the pages. */
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  @State(Scope.Thread)
  public static class Samples {
    public long samples;
  }

  static Path fixtures() {
    String p = System.getProperty("sightline.fixtures");
    Path first = p != null && !p.isBlank() ? Path.of(p) : Path.of("../shared/fixtures");
    Path base = first;
    if (!Files.isDirectory(base) && (p == null || p.isBlank())) {
      base = Path.of("../../shared/fixtures");
    }
    if (!Files.isDirectory(base)) {
      // the pages are real captured data kept outside the repository; say where they are looked for
      throw new IllegalStateException("fixtures not found at " + first.toAbsolutePath().normalize()
          + ": put the shared fixtures folder there (see README, \"Running the tests\") or pass"
          + " -Dsightline.fixtures=DIR to run this benchmark");
    }
    return base.resolve("local-llm");
  }

  static String page(String name) throws IOException {
    return switch (name) {
      case "vllm" -> Files.readString(fixtures().resolve("vllm-metrics.datadog-fixture.prom"));
      case "sglang" -> Files.readString(fixtures().resolve("sglang-metrics.docs-example.prom"));
      case "dcgm" -> Files.readString(fixtures().resolve("dcgm-exporter-metrics.datadog-fixture.prom"));
      case "vllm-32-models" -> manyModels(Files.readString(fixtures().resolve("vllm-metrics.datadog-fixture.prom")), 32);
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** The page's families once each, with every sample line repeated for {@code n} model names. */
  static String manyModels(String page, int n) {
    StringBuilder out = new StringBuilder(page.length() * n);
    for (String line : page.split("\n")) {
      if (line.startsWith("#") || !line.contains("model_name=\"")) {
        out.append(line).append('\n');
        continue;
      }
      for (int i = 0; i < n; i++) {
        out.append(line.replace("model_name=\"", "model_name=\"m" + i + "-")).append('\n');
      }
    }
    return out.toString();
  }

  @Setup(Level.Trial)
  public void load() throws IOException {
    text = page(page);
    sampleLines = 0;
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        sampleLines++;
      }
    }
    PrometheusText.Parsed check = PrometheusText.parse(text, 1L, "bench");
    if (!check.errors().isEmpty()) {
      throw new IllegalStateException("the " + page + " page does not parse cleanly: " + check.errors().get(0));
    }
  }

  @Benchmark
  public PrometheusText.Parsed parse(Samples samples) {
    samples.samples += sampleLines;
    return PrometheusText.parse(text, 1_700_000_000_000_000_000L, "bench");
  }
}
