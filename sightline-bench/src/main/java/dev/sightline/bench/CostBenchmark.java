package dev.sightline.bench;

import dev.sightline.model.LlmCall;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.pricing.PriceFileWatcher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The price processor's hot loop: {@code CostCalculator.price} on one thread, over a mix of calls
 * like a production stream (chat, reasoning, cached, long-context, embeddings, Bedrock and dated ids,
 * self-hosted calls that stay unpriced), with every (provider, model) already resolved, as it is
 * after the first few seconds of ingest. Issue 5 asks for at least 1 million calls/s on one core.
 *
 * <p>{@code bundled} prices with the bundled catalog; {@code withPriceFile} with a price file over
 * it, followed through a {@link PriceFileWatcher}, to show that following reloads costs nothing.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CostBenchmark {

  /** provider, model, and how its calls use tokens. */
  private static final String[][] MIX = {
      {"openai", "gpt-4o-2024-08-06", "cached"},
      {"openai", "gpt-4o-mini", "cached"},
      {"openai", "gpt-5-mini", "reasoning"},
      {"openai", "o3", "reasoning"},
      {"openai", "text-embedding-3-small", "embedding"},
      {"anthropic", "claude-sonnet-4-5-20250929", "anthropic"},
      {"anthropic", "claude-sonnet-4-5", "long"},
      {"anthropic", "claude-haiku-4-5", "anthropic"},
      {"aws.bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0", "anthropic"},
      {"gcp.gemini", "gemini-2.5-flash", "reasoning"},
      {"gcp.gemini", "gemini-2.5-pro", "long"},
      {"vllm", "meta-llama/Llama-3.1-70B-Instruct", "plain"},
      {"vllm", "acme/support-llama-3.1-8b-ft", "plain"},
      {"openai", "ft:gpt-4o-mini-2024-07-18:acme:support:9aXk2", "cached"},
  };
  private static final int CALLS = 4096;

  private static final String PRICE_FILE = """
      models:
        - name: acme/support-llama-3.1-8b-ft
          provider: vllm
          prices:
            - {input: 0.20, output: 0.60}
        - regex: "ft:gpt-4o-mini-2024-07-18:acme:.*"
          provider: openai
          prices:
            - {input: 0.30, cacheRead: 0.15, output: 1.20}
        - name: gpt-4o-2024-08-06
          provider: openai
          prices:
            - {effectiveFrom: 2026-01-01, input: 2.00, cacheRead: 1.00, output: 8.00}
      """;

  private final LlmCall[] calls = new LlmCall[CALLS];
  private int next;
  private CostCalculator bundled;
  private CostCalculator withPriceFile;
  private PriceFileWatcher watcher;
  private Path priceFile;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    SplittableRandom random = new SplittableRandom(20260724L);
    long start = System.currentTimeMillis() * 1_000_000L;
    for (int i = 0; i < CALLS; i++) {
      String[] m = MIX[random.nextInt(MIX.length)];
      long t0 = start - random.nextLong(86_400_000_000_000L);
      calls[i] = new LlmCall(m[0], m[2].equals("embedding") ? "embeddings" : "chat", m[1], null,
          random.nextBoolean(), usage(m[2], random), Timing.of(t0, t0 + 2_000_000_000L), null, null, null, null);
    }
    bundled = new CostCalculator(PriceCatalog.bundled());
    priceFile = Files.createTempFile("sightline-bench-prices", ".yaml");
    Files.writeString(priceFile, PRICE_FILE);
    watcher = PriceFileWatcher.start(PriceCatalog.bundled(), priceFile, Duration.ofSeconds(1),
        (file, errors) -> System.err.println("price file rejected: " + errors));
    withPriceFile = new CostCalculator(watcher);
    // resolve every (provider, model) once, as a running server has
    for (LlmCall call : calls) {
      bundled.price(call);
      withPriceFile.price(call);
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    watcher.close();
    Files.deleteIfExists(priceFile);
  }

  @Benchmark
  public LlmCall bundled() {
    LlmCall call = calls[next];
    next = (next + 1) & (CALLS - 1);
    return bundled.price(call);
  }

  @Benchmark
  public LlmCall withPriceFile() {
    LlmCall call = calls[next];
    next = (next + 1) & (CALLS - 1);
    return withPriceFile.price(call);
  }

  private static Usage usage(String shape, SplittableRandom r) {
    long input = 200 + r.nextLong(8000);
    long output = 20 + r.nextLong(1500);
    return switch (shape) {
      case "cached" -> {
        long cached = r.nextBoolean() ? input / 2 : 0;
        yield Usage.reported(input - cached, cached, 0, 0, output, 0);
      }
      case "reasoning" -> Usage.reported(input, r.nextLong(input / 2), 0, 0, output, r.nextLong(4000));
      case "anthropic" -> Usage.reported(input, r.nextLong(20_000), r.nextLong(3000), r.nextInt(4) == 0 ? r.nextLong(3000) : 0,
          output, 0);
      // a third of these cross the 200k tier
      case "long" -> Usage.reported(120_000 + r.nextLong(120_000), r.nextLong(20_000), 0, 0, output, 0);
      case "embedding" -> Usage.reported(input, 0, 0, 0, 0, 0);
      default -> Usage.reported(input, 0, 0, 0, output, 0);
    };
  }
}
