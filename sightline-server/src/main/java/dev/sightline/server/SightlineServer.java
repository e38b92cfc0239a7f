package dev.sightline.server;

import dev.sightline.alerts.anomaly.AnomalySettings;
import dev.sightline.alerts.budget.BudgetLedger;
import dev.sightline.alerts.budget.BudgetRefusal;
import dev.sightline.alerts.budget.BudgetSignals;
import dev.sightline.gateway.CallAdmission;
import dev.sightline.server.api.BudgetsApi;
import dev.sightline.alerts.anomaly.CostAnomalyDetector;
import dev.sightline.alerts.notify.Notifier;
import dev.sightline.alerts.watch.AlertWatch;
import dev.sightline.server.api.AlertsApi;
import dev.sightline.server.config.AlertsConfig;
import dev.sightline.server.config.ClusterConfig;
import java.time.Clock;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.server.Server;
import com.linecorp.armeria.server.ServerBuilder;
import dev.sightline.evaluators.Evaluations;
import dev.sightline.evaluators.Evaluator;
import dev.sightline.evaluators.EvaluatorCatalog;
import dev.sightline.gateway.Gateway;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.BatchProcessor;
import dev.sightline.pipeline.BatchSink;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.pipeline.PiiCounters;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.pipeline.PipelineConfig;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.pricing.PriceFileError;
import dev.sightline.pricing.PriceFileException;
import dev.sightline.pricing.PriceFileWatcher;
import java.nio.file.Path;
import java.time.Duration;
import dev.sightline.receivers.OtlpReceiver;
import dev.sightline.receivers.ReceiverLimits;
import dev.sightline.receivers.rum.RumReceiver;
import dev.sightline.semconv.SpanNormalizer;
import dev.sightline.scrape.ScrapeTarget;
import dev.sightline.scrape.Scraper;
import dev.sightline.server.api.EnginesApi;
import dev.sightline.server.api.MetricsApi;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.api.RestApi;
import dev.sightline.server.config.SightlineConfig;
import dev.sightline.store.DuckDbStore;
import dev.sightline.store.postgres.PostgresStore;
import dev.sightline.store.Store;
import dev.sightline.pipeline.DiskGuard;
import dev.sightline.pipeline.IngestMemory;
import dev.sightline.server.retention.RetentionJob;
import dev.sightline.server.retention.RetentionTarget;
import dev.sightline.server.retention.StoreMetrics;
import dev.sightline.server.api.ServerMetrics;
import dev.sightline.access.AccessControl;
import dev.sightline.server.access.AccessGate;
import dev.sightline.server.projects.ProjectScope;
import dev.sightline.server.projects.ProjectStores;
import io.netty.channel.EventLoopGroup;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Sightline: the store, the pipeline in front of it, the OTLP receivers on their own
 * ports, and the REST API with health and /metrics on the HTTP port. Wiring only.
 */
public final class SightlineServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SightlineServer.class);

  private final SightlineConfig config;
  private final PriceFileWatcher prices;
  private final ProjectStores stores;
  /** The default project's store: the server's own data (scrapes, alert history, budgets) lives there. */
  private final Store store;
  /** The store of the project of the API request being served. */
  private final Store requestStore;
  private final AccessGate access;
  private final String adminToken;
  private final Pipeline pipeline;
  private final Evaluations evaluations;
  private final PiiCounters piiCounters;
  private final IngestCounters counters;
  private final EventLoopGroup workers;
  private final ExecutorService blocking;
  private final List<Server> servers = new ArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<Evaluator> evaluators;
  private final Scraper scraper;
  private final AlertWatch alerts;
  private final BudgetLedger budgets;
  private final StoreSink storeSink;
  private final BusLink bus;
  private final RetentionJob retention;
  private volatile URI selfBase;
  private int httpPort;
  private int otlpGrpcPort;
  private int otlpHttpPort;

  private SightlineServer(SightlineConfig config, PriceFileWatcher prices) {
    this.config = config;
    this.prices = prices;
    AccessControl control = AccessControl.open(config.dataDir().resolve("access.json"), Clock.systemUTC());
    this.access = new AccessGate(control, config.access().keys());
    this.adminToken = config.access().keys() || config.access().adminPassword() != null
        ? control.ensureAdmin(config.access().adminPassword()) : null;
    for (dev.sightline.receivers.rum.RumApp app : config.rum().apps()) {
      if (!access.exists(app.project())) {
        throw new StartupException("the RUM app " + app.name() + " names project '" + app.project()
            + "', which does not exist: create it with ./sightline projects create " + app.project(), null);
      }
    }
    ClusterConfig cluster = config.cluster();
    checkBudgets(config);
    // a process without the writer role holds no store: it publishes what it ingests to the bus
    this.stores = cluster.holdsStore() ? new ProjectStores(config.dataDir(), storeOpener(config), access::exists) : null;
    this.store = stores == null ? null : stores.defaultStore();
    this.requestStore = stores == null ? null : ProjectScope.requestStore(stores);
    this.counters = new IngestCounters();
    CostCalculator pricer = prices == null ? new CostCalculator(PriceCatalog.bundled()) : new CostCalculator(prices);
    BatchProcessor processor = new BatchProcessor(SpanNormalizer.create(), pricer, config.pii());
    this.piiCounters = processor.piiCounters();
    PipelineConfig defaults = PipelineConfig.defaults();
    // the judge calls this server's own gateway, whose port is known only once bound (it may be 0)
    var judge = config.evaluation().judge();
    if (judge != null && access.internalKey() != null) {
      judge = judge.withSightlineKey(access.internalKey()); // the judge's calls pass this server's own gateway check
    }
    // evaluators judge what this process writes: they belong to the writer role
    this.evaluators = !cluster.has(ClusterConfig.Role.WRITER) ? List.<Evaluator>of() : EvaluatorCatalog.create(config.evaluation().evaluators(),
        config.evaluation().embeddings(), judge, () -> selfBase);
    // scores go through the pipeline like any record: one writer, group commit, counted on /metrics
    this.evaluations = evaluators.isEmpty() ? null : new Evaluations(stores::store,
        new dev.sightline.evaluators.ScoreSink() {
          @Override
          public void write(List<dev.sightline.model.Score> scores) {
            storeScores(TelemetryBatch.DEFAULT_PROJECT, scores);
          }

          @Override
          public void write(String project, List<dev.sightline.model.Score> scores) {
            storeScores(project, scores);
          }
        }, evaluators, config.evaluation().settings());
    // the first read of stored spend comes before ingest
    this.budgets = stores == null ? null
        : new BudgetLedger(store, config.alerts().budgets(), java.time.InstantSource.system());
    if (budgets != null) {
      budgets.refresh();
    }
    this.storeSink = stores == null ? null : new StoreSink(stores, budgets, () -> evaluations);
    this.bus = new BusLink(cluster);
    BatchSink sink = cluster.publishes() ? bus.publisher() : storeSink;
    this.pipeline = new Pipeline(processor, sink, counters,
        defaults.withQueueCapacity(config.queueCapacity()),
        new IngestMemory(config.ingest().memoryBytes() > 0 ? config.ingest().memoryBytes()
            : IngestMemory.defaultBudget(Runtime.getRuntime().maxMemory())),
        config.ingest().minFreeDiskBytes() > 0 ? DiskGuard.of(config.dataDir(), config.ingest().minFreeDiskBytes())
            : DiskGuard.none());
    this.retention = cluster.has(ClusterConfig.Role.WRITER) ? new RetentionJob(this::retentionTargets) : null;
    // scrapes are an ingest path; alerts read the store for the query role
    this.scraper = new Scraper(cluster.has(ClusterConfig.Role.INGEST) ? scrapeTargets(config.monitoring()) : List.of(),
        pipeline::submitUnattended);
    this.alerts = cluster.has(ClusterConfig.Role.QUERY) ? alertWatch(config.alerts(), store, budgets) : null;
    this.workers = EventLoopGroups.newEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()));
    this.blocking = Executors.newVirtualThreadPerTaskExecutor();
  }

  /**
   * Each project's store: a DuckDB file in its directory (the default), or its own schema of the shared
   * PostgreSQL database named by --store ({@code sightline} for the default project, {@code sightline_<project>}).
   */
  private static ProjectStores.Opener storeOpener(SightlineConfig config) {
    String url = config.cluster().storeUrl();
    if (url == null) {
      return (project, dir) -> DuckDbStore.open(dir, config.storeThreads(), config.ingest().storeMemoryBytes());
    }
    int connections = config.cluster().storeConnections();
    return (project, dir) -> PostgresStore.open(url, connections, PostgresStore.projectSchema(project));
  }

  /** Budgets count spend before and after each commit in one process: they need every role and no bus. */
  private static void checkBudgets(SightlineConfig config) {
    ClusterConfig c = config.cluster();
    if (!config.alerts().budgets().isEmpty() && (c.roles().size() < ClusterConfig.Role.values().length
        || c.busServers() != null)) {
      throw new StartupException("budgets (--budget) need the ingest, writer and query roles in one process and no"
          + " --bus: the gateway's admission counts spend before the store commits it (docs/scale-out.md)", null);
    }
  }

  /**
   * The configured targets, less the nvidia-smi collector when it was left on auto and the command is
   * not on PATH (a host without an NVIDIA GPU: nothing to say about it).
   */
  private static List<ScrapeTarget> scrapeTargets(MonitoringConfig monitoring) {
    List<ScrapeTarget> out = new ArrayList<>();
    for (ScrapeTarget t : monitoring.targets()) {
      if (monitoring.nvidiaSmiAuto() && t.kind() == ScrapeTarget.Kind.NVIDIA_SMI && t.executable().isEmpty()) {
        log.debug("nvidia-smi is not on PATH: the GPU collector stays off (--nvidia-smi auto)");
        continue;
      }
      out.add(t);
    }
    return out;
  }

  private static AlertWatch alertWatch(AlertsConfig c, Store store, BudgetLedger budgets) {
    Notifier notifier = new Notifier(c.webhooks(), c.notifier(), Clock.systemUTC());
    CostAnomalyDetector detector = c.costAnomalies() ? new CostAnomalyDetector(store, AnomalySettings.DEFAULTS) : null;
    return new AlertWatch(store, c.rules(), notifier, detector,
        c.budgets().isEmpty() ? List.of() : List.of(new BudgetSignals(budgets)), c.interval(), Clock.systemUTC());
  }

  /**
   * Every open project's store with its retention: the project's own days where the access file sets
   * them, else the server-wide --retention / --content-retention.
   */
  private List<RetentionTarget> retentionTargets() {
    java.util.Map<String, dev.sightline.access.Retention> own = new java.util.HashMap<>();
    for (dev.sightline.access.Project p : access.control().projects()) {
      if (p.retention() != null) {
        own.put(p.name(), p.retention());
      }
    }
    List<RetentionTarget> out = new ArrayList<>();
    java.util.Set<String> projects = new java.util.LinkedHashSet<>(stores.openProjects());
    projects.addAll(own.keySet()); // a project not opened since the start keeps its retention too
    for (String project : projects) {
      dev.sightline.access.Retention r = own.get(project);
      Integer data = r != null && r.dataDays() != null ? r.dataDays() : config.retention().dataDays();
      Integer content = r != null && r.contentDays() != null ? r.contentDays() : config.retention().contentDays();
      out.add(new RetentionTarget(project, stores.store(project), data, content));
    }
    return out;
  }

  /** The gateway's question before each call: is a hard budget of this call's scope spent? */
  private CallAdmission admission() {
    if (config.alerts().budgets().stream().noneMatch(b -> b.hard())) {
      return CallAdmission.ADMIT_ALL;
    }
    return (service, route, user) -> {
      BudgetRefusal r = budgets.admit(service, route, user);
      return r == null ? null : new CallAdmission.Refusal(r.name(), r.scope().wire(), r.scopeValue(),
          r.limitUsd().toPlainString(), r.spentUsd().toPlainString(), r.resetsAt(), r.retryAfter(), r.message());
    };
  }

  private void storeScores(String project, List<dev.sightline.model.Score> scores) {
    pipeline.submitUnattended(TelemetryBatch.ofScores("evaluators", scores).withProject(project));
  }

  /** Opens the store and binds every port; throws {@link StartupException} with the fix on failure. */
  public static SightlineServer start(SightlineConfig config) {
    PriceFileWatcher prices = null;
    if (config.pricingFile() != null) {
      try {
        prices = PriceFileWatcher.start(PriceCatalog.bundled(), config.pricingFile(), Duration.ofSeconds(2),
            new PriceFileWatcher.Listener() {
              @Override
              public void reloaded(Path file, PriceCatalog catalog) {
                log.info("Prices reloaded from {}", file);
              }

              @Override
              public void rejected(Path file, List<PriceFileError> errors) {
                log.warn("The price file {} was not loaded; the prices in force stay:", file);
                errors.forEach(e -> log.warn("  {}", e));
              }
            });
      } catch (PriceFileException e) {
        throw new StartupException("the price file is invalid (--pricing-file):\n" + e.getMessage(), e);
      }
    }
    SightlineServer s;
    try {
      s = new SightlineServer(config, prices);
    } catch (StartupException e) {
      if (prices != null) {
        prices.close();
      }
      throw e;
    } catch (RuntimeException e) {
      if (prices != null) {
        prices.close();
      }
      throw new StartupException("cannot open the data directory " + config.dataDir().toAbsolutePath() + ": "
          + e.getMessage(), e);
    }
    try {
      s.bindAll();
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }

  private void bindAll() {
    ClusterConfig cluster = config.cluster();
    boolean ingest = cluster.has(ClusterConfig.Role.INGEST);
    boolean query = cluster.has(ClusterConfig.Role.QUERY);
    if (ingest) {
      OtlpReceiver otlp = new OtlpReceiver(pipeline, counters,
          new ReceiverLimits(config.maxRequestBytes(), ReceiverLimits.DEFAULT_MAX_ATTRIBUTES_PER_RECORD,
          ReceiverLimits.DEFAULT_MAX_ATTRIBUTE_VALUE_BYTES), access.ingestAuth());

      ServerBuilder grpc = base(config.otlpGrpcPort());
      otlp.bindGrpc(grpc);
      otlpGrpcPort = startServer(grpc, "--otlp-grpc-port", config.otlpGrpcPort());

      ServerBuilder otlpHttp = base(config.otlpHttpPort());
      otlp.bindHttp(otlpHttp);
      otlpHttpPort = startServer(otlpHttp, "--otlp-http-port", config.otlpHttpPort());
    }

    ServerBuilder http = base(config.httpPort());
    http.decorator(access.decorator());
    List<java.util.function.Supplier<String>> metrics = new ArrayList<>();
    Gateway gateway = null;
    if (ingest) {
      RumReceiver rum = new RumReceiver(pipeline, counters, config.rum());
      rum.bind(http);
      RumAgentFiles.bind(http);
      gateway = new Gateway(pipeline, counters, config.gateway(), null, admission(), access.gatewayAccess());
      gateway.bind(http);
      metrics.add(() -> ServerMetrics.rum(rum));
    }
    RestApi api = new RestApi(requestStore, pipeline, counters, evaluations, piiCounters, blocking,
        prices != null ? prices : PriceCatalog::bundled, scraper::health);
    if (query) {
      AlertsApi alertsApi = new AlertsApi(alerts, store, blocking);
      alertsApi.bind(http);
      metrics.add(0, alertsApi::metrics);
      if (gateway != null) {
        BudgetsApi budgetsApi = new BudgetsApi(budgets, gateway::budgetRefusals, blocking);
        budgetsApi.bind(http);
        metrics.add(1, budgetsApi::metrics);
      }
      new dev.sightline.server.api.AccessApi(access, blocking, () -> StorageUsage.json(stores)).bind(http);
      api.bind(http);
      new MetricsApi(requestStore, blocking, scraper::health).bind(http);
      new EnginesApi(requestStore, config.monitoring().gpuPricePerHour(), blocking).bind(http);
      new dev.sightline.server.api.InfrastructureApi(requestStore, blocking).bind(http);
      new dev.sightline.server.api.ServiceMapApi(requestStore, blocking).bind(http);
      new dev.sightline.server.api.RumApi(requestStore, blocking).bind(http);
      dev.sightline.server.ui.WebUi.bind(http);
    } else {
      RestApi.bindElsewhere(http, "this process runs --role " + ClusterConfig.wire(cluster.roles())
          + "; the API and dashboard are served by the query role");
    }
    api.bindHealth(http);
    if (stores != null) {
      metrics.add(() -> StoreMetrics.render(StorageUsage.of(stores), retention.deletedTotals()));
    }
    Gateway g = gateway;
    metrics.add(() -> ServerMetrics.access(pipeline.memory(), g));
    metrics.add(() -> ServerMetrics.bus(bus.writerCounts()));
    api.withMetrics(() -> {
      StringBuilder b = new StringBuilder();
      metrics.forEach(m -> b.append(m.get()));
      return b.toString();
    });
    httpPort = startServer(http, "--http-port", config.httpPort());
    selfBase = selfBase(config.bind(), httpPort);

    StartupLog.print(config, adminToken, httpPort, otlpGrpcPort, otlpHttpPort, selfBase, evaluators, scraper.health());
    scraper.start();
    if (alerts != null) {
      alerts.start();
    }
    if (retention != null) {
      retention.start();
    }
    if (storeSink != null) {
      bus.startWriter(stores, storeSink);
    }
  }

  /** How this process reaches its own HTTP port: loopback when bound to every interface, else the bound address. */
  static URI selfBase(String bind, int port) {
    String host = bind;
    try {
      InetAddress a = InetAddress.getByName(bind);
      if (a.isAnyLocalAddress()) {
        host = "127.0.0.1";
      } else if (a instanceof Inet6Address) {
        host = "[" + a.getHostAddress() + "]";
      }
    } catch (UnknownHostException e) {
      // a host name that resolved at bind time: use it as given
    }
    return URI.create("http://" + host + ":" + port);
  }

  private ServerBuilder base(int port) {
    return Server.builder()
        .http(new InetSocketAddress(config.bind(), port))
        .workerGroup(workers, false)
        // OTLP answers wait for the group commit; under a burst that can take a few seconds.
        .requestTimeoutMillis(30_000)
        .gracefulShutdownTimeoutMillis(0, 2_000);
  }

  private int startServer(ServerBuilder sb, String flag, int port) {
    Server server = sb.build();
    try {
      server.start().join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof BindException || String.valueOf(cause.getMessage()).contains("Address already in use")) {
        throw new StartupException("port " + port + " on " + config.bind() + " is already in use (another Sightline?). "
            + "Stop it, or choose another port with " + flag + " (0 picks a free one).", cause);
      }
      throw new StartupException("cannot listen on " + config.bind() + ":" + port + " (" + flag + "): "
          + cause.getMessage(), cause);
    }
    servers.add(server);
    return server.activeLocalPort();
  }

  public int httpPort() {
    return httpPort;
  }

  public int otlpGrpcPort() {
    return otlpGrpcPort;
  }

  public int otlpHttpPort() {
    return otlpHttpPort;
  }

  /** The default project's store. */
  public Store store() {
    return store;
  }

  /** Every project's store (the default one and those opened since). */
  public ProjectStores stores() {
    return stores;
  }

  /** Projects and keys. */
  public AccessControl accessControl() {
    return access.control();
  }

  /** The first start's admin token when one was generated (keys mode without --admin-password), else null. */
  public String adminToken() {
    return adminToken;
  }

  /** The retention job (rounds can be run at will with {@link RetentionJob#runOnce}). */
  public RetentionJob retention() {
    return retention;
  }

  /** The evaluators' runtime, or null when they are off. */
  public Evaluations evaluations() {
    return evaluations;
  }

  /** The alert loop (rounds can be run at will with {@link AlertWatch#runOnce}). */
  public AlertWatch alerts() {
    return alerts;
  }

  public SightlineConfig config() {
    return config;
  }

  /** Stops taking requests, commits what was accepted, closes the store. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Server s : servers) {
      s.stop().join();
    }
    if (evaluations != null) {
      evaluations.close(); // before the pipeline, which stores the last scores
    }
    for (Evaluator e : evaluators) {
      if (e instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception ex) {
          log.debug("closing evaluator {}: {}", e.name(), ex.toString());
        }
      }
    }
    if (alerts != null) {
      alerts.close(); // before the pipeline and the store, which its rounds read and write
    }
    if (retention != null) {
      retention.close();
    }
    scraper.close(); // before the pipeline, which stores the last scrapes
    pipeline.close();
    bus.close(); // after the pipeline, which publishes its last batches; before the stores its consumer writes
    if (stores != null) {
      stores.close();
    }
    if (prices != null) {
      prices.close();
    }
    blocking.shutdown();
    workers.shutdownGracefully();
  }
}
