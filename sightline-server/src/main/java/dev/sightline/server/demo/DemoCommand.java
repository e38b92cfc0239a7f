package dev.sightline.server.demo;

import dev.sightline.access.KeyKind;
import dev.sightline.model.TelemetryBatch;

import dev.sightline.server.SightlineServer;
import dev.sightline.scrape.ScrapeTarget;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.config.SightlineConfig;
import dev.sightline.alerts.notify.WebhookTarget;
import dev.sightline.alerts.rules.AlertRule;
import dev.sightline.server.config.AlertsConfig;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sightline demo}: the server plus a built-in workload sent through the real OTLP path. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"Run Sightline with a built-in workload: several services, RAG traces, real users (a simulated browser), several providers "
        + "and models (cached and reasoning tokens, an unpriced self-hosted model), some 429 and 500 errors, "
        + "sessions and users, all sent over OTLP with the OpenTelemetry Java SDK; part of it also goes through "
        + "the LLM gateway to a built-in simulated OpenAI-compatible server; a simulated vLLM engine serving the "
        + "self-hosted model and a DCGM exporter for its GPUs are scraped. Unless you give your own, a few alert "
        + "rules, a daily budget and a webhook to a built-in receiver are added. Runs until stopped (Ctrl-C)."})
public final class DemoCommand implements Runnable {
  /** The gateway route the demo adds for its simulated LLM server. */
  static final String GATEWAY_ROUTE = "sim";
  /** One trace in this many also sends a call through the gateway. */
  static final int GATEWAY_EVERY = 3;

  /** How often the demo reads its simulated engine and GPU exporter. */
  static final java.time.Duration DEMO_SCRAPE_INTERVAL = java.time.Duration.ofSeconds(5);
  /** What the demo's simulated GPUs cost per hour (about what an A100 80GB rents for). */
  static final java.math.BigDecimal DEMO_GPU_PRICE = new java.math.BigDecimal("1.80");

  @Mixin dev.sightline.server.ServerOptions options;

  /** The user's targets plus the demo's engine ({@code vllm}) and GPU exporter ({@code dcgm}), with a GPU price. */
  static MonitoringConfig demoTargets(MonitoringConfig user, SimulatedEngine engine, SimulatedGpuExporter gpus) {
    MonitoringConfig m = user.withTargets(java.util.List.of(
        new ScrapeTarget("vllm", ScrapeTarget.Kind.PROMETHEUS, engine.metricsUri(), DEMO_SCRAPE_INTERVAL,
            ScrapeTarget.defaultTimeout(DEMO_SCRAPE_INTERVAL)),
        new ScrapeTarget("dcgm", ScrapeTarget.Kind.PROMETHEUS, gpus.metricsUri(), DEMO_SCRAPE_INTERVAL,
            ScrapeTarget.defaultTimeout(DEMO_SCRAPE_INTERVAL))));
    return m.gpuPricePerHour().containsKey("vllm") ? m : m.withGpuPrice("vllm", DEMO_GPU_PRICE);
  }

  /**
   * Alert rules the demo adds when none are configured: figures its workload moves (about 1.5 % of
   * its LLM calls fail with a 500, TTFT runs 250 ms to 1.2 s, longer on the self-hosted engine when its KV cache fills), so some fire within minutes.
   */
  static final List<String> DEMO_RULES = List.of(
      "id=provider-5xx; name=5xx rate by provider; figure=error_rate_5xx; groupBy=provider; window=5m;"
          + " condition=> 0.02; for=1m; severity=critical",
      "id=ttft-p95; name=TTFT p95 by model; figure=ttft_p95_ms; groupBy=model; window=5m; condition=> 1300;"
          + " for=2m; severity=warning",
      "id=cost-per-hour; name=Cost per hour; figure=cost_per_hour; window=15m; condition=> 100; severity=warning",
      "id=cost-vs-yesterday; name=Cost per hour vs yesterday; figure=cost_per_hour; groupBy=route; window=1h;"
          + " condition=increase_pct > 200 vs 1d; severity=warning");
  /** The demo's budget when none is configured: the whole project, per rolling day, soft. */
  static final String DEMO_BUDGET = "demo-daily=project,40/24h,soft=50%";

  /**
   * The user's alert settings, plus the demo's rules and budget where the user gave none, and a
   * webhook to the simulated server's receiver so that deliveries (and the Test button) succeed.
   */
  static AlertsConfig demoAlerts(AlertsConfig user, java.net.URI receiver) {
    List<AlertRule> rules = user.rules();
    if (rules.isEmpty()) {
      rules = AlertsConfig.parse(DEMO_RULES, List.of(), user.interval(), true).rules();
    }
    List<dev.sightline.alerts.budget.Budget> budgets = user.budgets();
    if (budgets.isEmpty()) {
      budgets = AlertsConfig.parse(List.of(), List.of(), user.interval(), true, List.of(DEMO_BUDGET)).budgets();
    }
    List<WebhookTarget> hooks = new java.util.ArrayList<>(user.webhooks());
    if (hooks.stream().noneMatch(h -> h.name().equals("demo"))) {
      hooks.add(WebhookTarget.parse("demo=" + receiver + SimulatedUpstream.WEBHOOK_PATH).target());
    }
    return new AlertsConfig(rules, hooks, user.interval(), user.costAnomalies(), user.notifier(), budgets);
  }

  /** The user's RUM apps plus the demo's simulated web app (its key and origin), unless one is named the same. */
  static dev.sightline.receivers.rum.RumConfig demoRum(dev.sightline.receivers.rum.RumConfig user) {
    List<dev.sightline.receivers.rum.RumApp> apps = new java.util.ArrayList<>(user.apps());
    if (apps.stream().noneMatch(a -> a.name().equals(SimulatedBrowser.APP) || a.key().equals(SimulatedBrowser.KEY))) {
      apps.add(dev.sightline.receivers.rum.RumApp.parse(SimulatedBrowser.APP + "=" + SimulatedBrowser.KEY
          + ",origin=" + SimulatedBrowser.ORIGIN));
    }
    return new dev.sightline.receivers.rum.RumConfig(apps, user.maxBodyBytes());
  }

  @Option(names = "--rate", paramLabel = "TRACES_PER_SECOND", defaultValue = "4",
      description = "Demo traces per second (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_RATE.")
  double rate;

  @Option(names = "--traces", paramLabel = "N", defaultValue = "0",
      description = "Stop the workload after N traces and exit (default: 0 = run until stopped). Env: SIGHTLINE_TRACES.")
  long maxTraces;

  @Override
  public void run() {
    if (rate <= 0 || rate > 10_000) {
      throw new dev.sightline.server.config.ConfigException("--rate must be between 0 and 10000 traces per second, got " + rate);
    }
    // The simulated LLM server starts first, so that the server can be given a gateway route to it.
    SimulatedUpstream simulated = new SimulatedUpstream(System.nanoTime(), 0.05);
    // ... and so do a simulated vLLM engine serving the self-hosted model and a DCGM exporter for its GPUs
    SimulatedEngine engine = new SimulatedEngine(System.nanoTime());
    SimulatedGpuExporter gpus = new SimulatedGpuExporter(engine, System.nanoTime());
    options.defaultAuth("open"); // the demo is for a laptop: open unless --auth keys is given
    SightlineConfig config = options.toConfig();
    SightlineServer server;
    try {
      config = config.withMonitoring(demoTargets(config.monitoring(), engine, gpus))
          .withAlerts(demoAlerts(config.alerts(), simulated.uri())).withRum(demoRum(config.rum()));
      server = SightlineServer.start(config.withGateway(config.gateway().withRoute(GATEWAY_ROUTE, simulated.uri())));
    } catch (RuntimeException e) {
      simulated.close();
      gpus.close();
      engine.close();
      throw e;
    }
    String host = server.config().bind().equals("0.0.0.0") ? "127.0.0.1" : server.config().bind();
    // with --auth keys the demo's own senders need an ingest key of the default project like anyone else
    String ingestKey = config.access().keys() ? server.accessControl().createKey(TelemetryBatch.DEFAULT_PROJECT,
        KeyKind.INGEST, "demo " + java.time.Instant.now(), null).secret() : null;
    DemoWorkload workload = new DemoWorkload("http://" + host + ":" + server.otlpGrpcPort(),
        "http://" + host + ":" + server.otlpHttpPort(), System.nanoTime(), ingestKey).servedBy(engine);
    GatewayTraffic gateway = new GatewayTraffic("http://" + host + ":" + server.httpPort() + "/gateway/" + GATEWAY_ROUTE,
        "http://" + host + ":" + server.otlpHttpPort(), System.nanoTime(), ingestKey)
        .from(new SimulatedBrowser("http://" + host + ":" + server.httpPort(), System.nanoTime()));
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      stop.countDown();
      workload.close();
      gateway.close();
      server.close();
      simulated.close();
      gpus.close();
      engine.close();
    }, "sightline-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String base = "http://" + host + ":" + server.httpPort();
    System.out.println();
    System.out.println("Sightline demo is running: sending " + rate + " traces/s through OTLP. Look at:");
    System.out.println("  " + base + "/                               the dashboard");
    System.out.println("  " + base + "/api/v1/traces                  recent traces (REST API)");
    System.out.println("  " + base + "/api/v1/llm/calls               LLM calls with tokens, TTFT, TPOT and cost");
    System.out.println("  " + base + "/api/v1/llm/summary?groupBy=model   latency, errors and cost per model");
    System.out.println("  " + base + "/engines                        the simulated vLLM engine and its GPUs, scraped every "
        + DEMO_SCRAPE_INTERVAL.toSeconds() + " s");
    System.out.println("  " + base + "/alerts                         alert rules (" + server.config().alerts().rules().size()
        + "), what fires, webhook deliveries; budgets on " + base + "/cost");
    System.out.println("  " + base + "/services                       the service map: browser -> app -> gateway -> providers");
    System.out.println("  " + base + "/metrics                        Sightline's own ingest metrics");
    System.out.println("One trace in " + GATEWAY_EVERY + " also sends a chat completion through the gateway ("
        + base + "/gateway/" + GATEWAY_ROUTE + "/v1 -> the simulated LLM server at " + simulated.uri()
        + "), recorded as service " + GatewayTraffic.SERVICE + " with TTFT and TPOT measured on the wire; a simulated"
        + " browser (RUM app " + SimulatedBrowser.APP + ") starts those requests and reports what its users saw.");
    System.out.println("Press Ctrl-C to stop." + (maxTraces > 0 ? " (Stopping after " + maxTraces + " traces.)" : ""));
    long periodNanos = (long) (1_000_000_000L / rate);
    long next = System.nanoTime();
    long lastReport = System.nanoTime();
    try {
      while (stop.getCount() > 0 && (maxTraces == 0 || workload.traces() < maxTraces)) {
        workload.emitTrace();
        if (workload.traces() % GATEWAY_EVERY == 0) {
          gateway.send();
        }
        next += periodNanos;
        long sleep = next - System.nanoTime();
        if (sleep > 0) {
          stop.await(sleep, TimeUnit.NANOSECONDS);
        }
        if (System.nanoTime() - lastReport > 30_000_000_000L) {
          lastReport = System.nanoTime();
          System.out.println("demo: " + workload.traces() + " traces sent; " + server.store().callCount()
              + " LLM calls stored");
        }
      }
      if (maxTraces > 0) {
        workload.flush();
        gateway.send().join();
        gateway.flush();
        System.out.println("demo: sent " + workload.traces() + " traces; stopping.");
        Runtime.getRuntime().removeShutdownHook(hook);
        workload.close();
        gateway.close();
        server.close();
        simulated.close();
        gpus.close();
        engine.close();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
