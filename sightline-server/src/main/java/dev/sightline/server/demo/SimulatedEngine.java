package dev.sightline.server.demo;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * The demo's self-hosted inference engine: a loopback HTTP server whose {@code /metrics} is a
 * realistic vLLM V1 exposition for one model, with KV-cache usage, queue, preemptions, token
 * counters and latency histograms that follow load. Load is the engine's other clients (a slow
 * wave with bursts that fill the KV cache now and then) plus the demo's own requests; {@link #load()}
 * tells the demo how much slower its own requests should be at this moment, so that the traces'
 * TTFT rises when the engine's KV cache is full.
 */
public final class SimulatedEngine implements AutoCloseable {
  /**
   * The model the demo's traces call on their self-hosted provider: serving the same name lets the
   * dashboard lay the engine's state beside those traces' latency.
   */
  public static final String DEFAULT_MODEL = "acme/support-llama-3.1-8b-ft";

  /**
   * The engine at this moment. {@code ttftFactor} (1 to 6) and {@code tpotFactor} (1 to about 1.9)
   * say how much slower than on an idle engine a request's first token and each later token are.
   */
  public record Load(double kvCacheUsage, int running, int waiting, double ttftFactor, double tpotFactor) {}

  private final VllmSimulation simulation;
  private final InstantSource clock;
  private final Instant started;
  private final MetricsEndpoint endpoint;

  /** An engine serving {@link #DEFAULT_MODEL} on the system clock. */
  public SimulatedEngine(long seed) {
    this(DEFAULT_MODEL, seed, InstantSource.system());
  }

  /**
   * @param model the served model name ({@code model_name} label); blank means {@link #DEFAULT_MODEL}
   * @param clock the time the simulation follows (a fixed one in tests)
   */
  public SimulatedEngine(String model, long seed, InstantSource clock) {
    this.simulation = new VllmSimulation(model == null || model.isBlank() ? DEFAULT_MODEL : model, seed);
    this.clock = clock;
    this.started = clock.instant();
    this.endpoint = new MetricsEndpoint(this::page);
  }

  /** Where a scraper reads this engine, e.g. {@code http://127.0.0.1:38211/metrics}. */
  public URI metricsUri() {
    return endpoint.metricsUri();
  }

  public String model() {
    return simulation.model();
  }

  /** A request to this engine has started (it counts as running or waiting until it finishes). */
  public synchronized void requestStarted() {
    simulation.advanceTo(now());
    simulation.started();
  }

  /**
   * A request started with {@link #requestStarted()} has finished. Its tokens and latencies (seconds;
   * {@code itlSeconds} per output token after the first) go into the engine's counters and histograms.
   */
  public synchronized void requestFinished(int promptTokens, int outputTokens, double ttftSeconds, double itlSeconds,
      double e2eSeconds) {
    simulation.advanceTo(now());
    simulation.finished(promptTokens, outputTokens, ttftSeconds, itlSeconds, e2eSeconds);
  }

  /**
   * A request that starts now and runs for {@code e2eSeconds}, for callers (like the demo's traces)
   * that know the whole request up front: it counts as running until then, and is recorded when it ends.
   */
  public synchronized void requestServed(int promptTokens, int outputTokens, double ttftSeconds, double itlSeconds,
      double e2eSeconds) {
    double now = now();
    simulation.advanceTo(now);
    simulation.served(now, promptTokens, outputTokens, ttftSeconds, itlSeconds, e2eSeconds);
  }

  /** The engine's state now, and how much it slows a request down. */
  public synchronized Load load() {
    double now = now();
    simulation.advanceTo(now);
    VllmSimulation.State s = simulation.state(now);
    return new Load(s.kvCacheUsage(), s.running(), s.waiting(), s.ttftFactor(), s.tpotFactor());
  }

  /** The {@code /metrics} page as it would be served now. */
  public synchronized String page() {
    double now = now();
    simulation.advanceTo(now);
    return simulation.render(now);
  }

  /** Requests completed so far (the engine's other clients and the demo's). */
  public synchronized long completedRequests() {
    simulation.advanceTo(now());
    return simulation.completed();
  }

  InstantSource clock() {
    return clock;
  }

  private double now() {
    return Math.max(0, Duration.between(started, clock.instant()).toNanos() / 1e9);
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
