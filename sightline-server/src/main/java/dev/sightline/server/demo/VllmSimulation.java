package dev.sightline.server.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The state of a simulated vLLM V1 engine over simulated time (seconds since start), and its
 * {@code /metrics} page. Demand is a slow wave plus seeded bursts plus the demo's own requests; the
 * scheduler admits requests while the KV cache has room, so a burst fills the cache, requests queue,
 * sequences get preempted, and time to first token climbs. Everything follows from the seed and the
 * times asked for, so a test can drive it with a fixed clock. Not thread-safe: the owner locks.
 *
 * <p>Family names, HELP texts, label names and bucket bounds are those of vLLM's exposition (see
 * shared/fixtures/local-llm/vllm-metrics.datadog-fixture.prom and llmkube-vllm-series-names.txt).
 */
final class VllmSimulation {
  /** Running requests whose KV blocks would fill the whole cache. */
  static final double CAPACITY = 128;
  /** The KV share up to which the scheduler admits new requests; past it, requests wait. */
  static final double ADMIT = 0.93;
  static final double IDLE_ITL_S = 0.011;
  static final double IDLE_PREFILL_S = 0.09;
  static final double MEAN_OUTPUT_TOKENS = 300;
  static final int BLOCK_SIZE = 16;
  static final int NUM_GPU_BLOCKS = 15_872;
  /** After a long pause (a laptop asleep), at most this much time is simulated. */
  private static final double MAX_CATCH_UP_S = 300;
  /** More requests than this in flight from {@code served} are not counted (a runaway caller). */
  private static final int MAX_PENDING = 10_000;

  // vLLM's bucket bounds: TTFT, inter-token latency, request phase latencies, and 1-2-5 token counts up to max_model_len
  private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
      1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
  private static final double[] ITL_BUCKETS = {0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0,
      2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0};
  private static final double[] REQUEST_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
      40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};
  private static final double[] TOKEN_BUCKETS = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};

  /** The engine at one instant: what the gauges show and what latency a request would see. */
  record State(double demand, int running, int waiting, double kvCacheUsage, double itlSeconds,
      double prefillSeconds, double queueSeconds) {
    double ttftFactor() {
      return Math.min(6, Math.max(1, (prefillSeconds + queueSeconds) / IDLE_PREFILL_S));
    }

    double tpotFactor() {
      return itlSeconds / IDLE_ITL_S;
    }
  }

  private record Served(double finishAt, int promptTokens, int outputTokens, double ttft, double itl, double e2e) {}

  private final String labels;
  private final String model;
  private final Random random;
  private final Random burstRandom;
  private final double[] phases = new double[3];
  /** Bursts as {start, length, height}, scheduled ahead as time goes on. */
  private final List<double[]> bursts = new ArrayList<>();
  private final PriorityQueue<Served> pending = new PriorityQueue<>((a, b) -> Double.compare(a.finishAt, b.finishAt));

  private double simulated;
  private int inFlight;
  private double completionCarry;
  private double preemptionCarry;
  private long preemptions;
  private long promptTokens;
  private long generationTokens;
  private long prefixQueries;
  private long prefixHits;
  private long finishedStop;
  private long finishedLength;
  private final Histogram ttft = new Histogram(TTFT_BUCKETS);
  private final Histogram itl = new Histogram(ITL_BUCKETS);
  private final Histogram e2e = new Histogram(REQUEST_BUCKETS);
  private final Histogram queue = new Histogram(REQUEST_BUCKETS);
  private final Histogram inference = new Histogram(REQUEST_BUCKETS);
  private final Histogram prefill = new Histogram(REQUEST_BUCKETS);
  private final Histogram decode = new Histogram(REQUEST_BUCKETS);
  private final Histogram promptHist = new Histogram(TOKEN_BUCKETS);
  private final Histogram generationHist = new Histogram(TOKEN_BUCKETS);

  VllmSimulation(String model, long seed) {
    this.model = model;
    this.labels = Exposition.labels("model_name", model, "engine", "0");
    this.random = new Random(seed);
    this.burstRandom = new Random(seed * 31 + 7);
    for (int i = 0; i < phases.length; i++) {
      phases[i] = burstRandom.nextDouble() * 2 * Math.PI;
    }
    // the first burst comes early, so that a fresh demo shows a full cache within a few minutes
    bursts.add(new double[] {75 + burstRandom.nextDouble() * 60, 90 + burstRandom.nextDouble() * 60,
        85 + burstRandom.nextDouble() * 30});
  }

  String model() {
    return model;
  }

  /** Demand in concurrent requests: a 10-minute wave (10 to 70), bursts of 70–115 more, a little drift, the demo's own. */
  private double demand(double t) {
    double wave = 40 - 30 * Math.cos(2 * Math.PI * t / 600);
    double drift = 4 * Math.sin(2 * Math.PI * t / 97 + phases[0]) + 3 * Math.sin(2 * Math.PI * t / 41 + phases[1]);
    double burst = 0;
    double[] last = bursts.get(bursts.size() - 1);
    while (last[0] < t + 600) {
      last = new double[] {last[0] + last[1] + 120 + burstRandom.nextDouble() * 180, 60 + burstRandom.nextDouble() * 90,
          70 + burstRandom.nextDouble() * 45};
      bursts.add(last);
    }
    for (double[] b : bursts) {
      if (t >= b[0] && t < b[0] + b[1]) {
        double s = Math.sin(Math.PI * (t - b[0]) / b[1]);
        burst += b[2] * s * s;
      }
    }
    return Math.max(0, wave + drift + burst) + inFlight + pending.size();
  }

  State state(double t) {
    double demand = demand(t);
    int admit = (int) (ADMIT * CAPACITY);
    int total = (int) Math.round(demand);
    int running = Math.min(total, admit);
    int waiting = total - running;
    double kv;
    if (running == 0) {
      kv = 0;
    } else if (waiting > 0) {
      // admitted sequences keep growing while they decode and fill the remaining headroom
      kv = ADMIT + 0.065 * Math.min(1, 0.25 + waiting / 40.0);
    } else {
      kv = running / CAPACITY;
    }
    if (running > 0) {
      kv = Math.max(0.001, Math.min(0.999, kv + 0.006 * Math.sin(2 * Math.PI * t / 13 + phases[2])));
    }
    double batch = running / CAPACITY;
    double itlSeconds = IDLE_ITL_S * (1 + 0.9 * batch);
    double prefillSeconds = IDLE_PREFILL_S * (1 + 1.5 * batch);
    double completionsPerSecond = running / itlSeconds / MEAN_OUTPUT_TOKENS;
    // Little's law: the queue drains at the rate requests complete
    double queueSeconds = waiting > 0 ? waiting / completionsPerSecond : 0;
    return new State(demand, running, waiting, kv, itlSeconds, prefillSeconds, queueSeconds);
  }

  /** Runs the engine forward to {@code t} in steps of at most one second. */
  void advanceTo(double t) {
    if (!(t > simulated)) {
      return;
    }
    if (t - simulated > MAX_CATCH_UP_S) {
      simulated = t - MAX_CATCH_UP_S;
    }
    while (simulated < t) {
      double step = Math.min(1.0, t - simulated);
      double at = simulated + step;
      step(state(at), step);
      while (!pending.isEmpty() && pending.peek().finishAt <= at) {
        Served s = pending.poll();
        record(s.promptTokens, s.outputTokens, 0, s.ttft, s.itl, s.e2e, false);
      }
      simulated = at;
    }
  }

  private void step(State s, double dt) {
    completionCarry += s.running() / s.itlSeconds() / MEAN_OUTPUT_TOKENS * dt;
    while (completionCarry >= 1) {
      completionCarry -= 1;
      completeBackground(s);
    }
    if (s.kvCacheUsage() >= 0.96) {
      preemptionCarry += (s.kvCacheUsage() - 0.95) * 30 * dt;
      long whole = (long) preemptionCarry;
      preemptions += whole;
      preemptionCarry -= whole;
    }
  }

  /** One request of the engine's other clients finishes, with latencies drawn around the state's. */
  private void completeBackground(State s) {
    int prompt = 200 + random.nextInt(3400);
    int output = 20 + (int) (Math.pow(random.nextDouble(), 1.5) * 700);
    double queued = s.queueSeconds() > 0 ? s.queueSeconds() * (0.5 + random.nextDouble())
        : 0.0005 + random.nextDouble() * 0.01;
    double first = queued + s.prefillSeconds() * (0.6 + 0.8 * random.nextDouble()) * (0.5 + prompt / 3800.0);
    double perToken = s.itlSeconds() * (0.85 + 0.3 * random.nextDouble());
    double total = first + (output - 1) * perToken;
    record(prompt, output, queued, first, perToken, total, random.nextInt(100) < 6);
  }

  private void record(int prompt, int output, double queued, double first, double perToken, double total,
      boolean length) {
    promptTokens += prompt;
    generationTokens += output;
    prefixQueries += prompt;
    prefixHits += Math.round(prompt * (0.25 + 0.35 * random.nextDouble()));
    if (length) {
      finishedLength++;
    } else {
      finishedStop++;
    }
    promptHist.observe(prompt, 1);
    generationHist.observe(output, 1);
    ttft.observe(first, 1);
    itl.observe(perToken, output - 1L);
    e2e.observe(total, 1);
    queue.observe(queued, 1);
    prefill.observe(Math.max(0, first - queued), 1);
    decode.observe(Math.max(0, total - first), 1);
    inference.observe(Math.max(0, total - queued), 1);
  }

  void started() {
    inFlight++;
  }

  /** A request the demo sent has finished; values are clamped to sane ranges. */
  void finished(int prompt, int output, double first, double perToken, double total) {
    inFlight = Math.max(0, inFlight - 1);
    record(Math.max(0, prompt), Math.max(1, output), 0, finite(first), finite(perToken), finite(total), false);
  }

  /** A request that runs from {@code now} for {@code total} seconds, counted as running until then. */
  void served(double now, int prompt, int output, double first, double perToken, double total) {
    if (pending.size() >= MAX_PENDING) {
      return;
    }
    double e2eSeconds = Math.min(600, finite(total));
    pending.add(new Served(now + e2eSeconds, Math.max(0, prompt), Math.max(1, output), finite(first),
        finite(perToken), e2eSeconds));
  }

  private static double finite(double v) {
    return Double.isFinite(v) && v > 0 ? v : 0;
  }

  long completed() {
    return finishedStop + finishedLength;
  }

  /** The {@code /metrics} page at time {@code t} (after {@link #advanceTo}). */
  String render(double t) {
    State s = state(t);
    Exposition e = new Exposition();
    e.family("vllm:cache_config_info", "gauge", "information of cache_config")
        .sample("vllm:cache_config_info", Exposition.labels("block_size", String.valueOf(BLOCK_SIZE),
            "cache_dtype", "auto", "enable_prefix_caching", "True", "engine", "0", "gpu_memory_utilization", "0.9",
            "num_cpu_blocks", "0", "num_gpu_blocks", String.valueOf(NUM_GPU_BLOCKS), "swap_space_bytes", "0"), 1);
    e.family("vllm:num_requests_running", "gauge", "Number of requests currently running on GPU.")
        .sample("vllm:num_requests_running", labels, s.running());
    e.family("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.")
        .sample("vllm:num_requests_waiting", labels, s.waiting());
    e.family("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.")
        .sample("vllm:kv_cache_usage_perc", labels, s.kvCacheUsage());
    counter(e, "vllm:prefix_cache_queries_total",
        "Prefix cache queries, in terms of number of queried tokens.", prefixQueries);
    counter(e, "vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.", prefixHits);
    counter(e, "vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", preemptions);
    counter(e, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", promptTokens);
    counter(e, "vllm:generation_tokens_total", "Number of generation tokens processed.", generationTokens);
    e.family("vllm:request_success_total", "counter", "Count of successfully processed requests.");
    e.sample("vllm:request_success_total", Exposition.withLabel(labels, "finished_reason", "stop"), finishedStop);
    e.sample("vllm:request_success_total", Exposition.withLabel(labels, "finished_reason", "length"), finishedLength);
    e.sample("vllm:request_success_total", Exposition.withLabel(labels, "finished_reason", "abort"), 0);
    histogram(e, "vllm:request_prompt_tokens", "Number of prefill tokens processed.", promptHist);
    histogram(e, "vllm:request_generation_tokens", "Number of generation tokens processed.", generationHist);
    histogram(e, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", ttft);
    histogram(e, "vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", itl);
    histogram(e, "vllm:e2e_request_latency_seconds", "Histogram of end to end request latency in seconds.", e2e);
    histogram(e, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", queue);
    histogram(e, "vllm:request_inference_time_seconds", "Histogram of time spent in RUNNING phase for request.",
        inference);
    histogram(e, "vllm:request_prefill_time_seconds", "Histogram of time spent in PREFILL phase for request.", prefill);
    histogram(e, "vllm:request_decode_time_seconds", "Histogram of time spent in DECODE phase for request.", decode);
    return e.text();
  }

  private void counter(Exposition e, String name, String help, long value) {
    e.family(name, "counter", help).sample(name, labels, value);
  }

  private void histogram(Exposition e, String name, String help, Histogram h) {
    e.family(name, "histogram", help);
    h.write(e, name, labels);
  }
}
