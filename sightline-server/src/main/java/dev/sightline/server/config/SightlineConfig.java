package dev.sightline.server.config;

import dev.sightline.evaluators.judge.JudgeEvaluator;
import dev.sightline.evaluators.judge.JudgeSettings;
import dev.sightline.gateway.GatewayConfig;
import java.net.URI;
import dev.sightline.pipeline.PiiMode;
import dev.sightline.receivers.rum.RumConfig;
import java.nio.file.Path;

/**
 * Sightline's configuration, read once at start-up (flags, then SIGHTLINE_* environment variables,
 * then the config file, then defaults) and validated into this typed value.
 *
 * @param bind the address every port binds to (default 127.0.0.1: reachable from this machine only)
 * @param httpPort web UI, REST API and health (7700); 0 picks a free port
 * @param storeThreads DuckDB's threads (1 by default: see {@code --store-threads})
 * @param pricingFile the user's price file laid over the bundled catalog, or null
 * @param gateway the LLM gateway's upstreams, timeouts and capture mode; with an LLM judge, its named
 *     route {@code judge} to the judge's server is added
 * @param evaluation which evaluators judge stored calls, and how (sampling, queue, threads)
 * @param pii what happens to personal data in prompts and responses before storage (mask by default)
 * @param monitoring the engines and GPUs scraped, and their GPU prices per hour
 * @param alerts alert rules from the config, webhooks, the evaluation interval and cost anomalies on or off
 * @param rum the web apps whose browsers may send real-user events to {@code /rum/v1/events} (none: off)
 * @param access keys required or open (see {@link AccessConfig})
 * @param retention server-wide days of data and of content kept (default: both forever)
 * @param ingest the memory ingest may hold and the free disk it needs (see {@link IngestLimits})
 * @param cluster the roles this process runs and the Kafka bus between them (default: every role, no bus)
 */
public record SightlineConfig(
    Path dataDir,
    String bind,
    int httpPort,
    int otlpGrpcPort,
    int otlpHttpPort,
    long maxRequestBytes,
    int queueCapacity,
    int storeThreads,
    Path pricingFile,
    GatewayConfig gateway,
    EvaluationConfig evaluation,
    PiiMode pii,
    MonitoringConfig monitoring,
    AlertsConfig alerts,
    RumConfig rum,
    AccessConfig access,
    RetentionConfig retention,
    IngestLimits ingest,
    ClusterConfig cluster) {

  public static final int DEFAULT_HTTP_PORT = 7700;
  public static final int DEFAULT_OTLP_GRPC_PORT = 4317;
  public static final int DEFAULT_OTLP_HTTP_PORT = 4318;
  /**
   * One DuckDB thread: with more, the gateway's streams in the same process stalled far more
   * often around commits (DuckDB's idle worker threads hand freed memory back to the system with
   * glibc {@code malloc_trim}, whose page-table flushes interrupt every core; docs/gateway.md).
   */
  public static final int DEFAULT_STORE_THREADS = 1;

  /** Defaults everywhere but the data dir and ports, for tests and tools. */
  public static SightlineConfig local(Path dataDir, int httpPort, int otlpGrpcPort, int otlpHttpPort) {
    return new SightlineConfig(dataDir, "127.0.0.1", httpPort, otlpGrpcPort, otlpHttpPort, 16L * 1024 * 1024, 200_000,
        DEFAULT_STORE_THREADS, null, GatewayConfig.defaults(), EvaluationConfig.defaults(), PiiMode.MASK,
        MonitoringConfig.none(), AlertsConfig.defaults(), RumConfig.off(), AccessConfig.open(), RetentionConfig.OFF,
        IngestLimits.defaults(), ClusterConfig.single());
  }

  public SightlineConfig withPricingFile(Path file) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, file, gateway, evaluation, pii, monitoring, alerts, rum, access, retention, ingest, cluster);
  }

  public SightlineConfig withGateway(GatewayConfig g) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, g, evaluation, pii, monitoring, alerts, rum, access, retention, ingest, cluster);
  }

  public SightlineConfig withEvaluation(EvaluationConfig e) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, e, pii, monitoring, alerts, rum, access, retention, ingest, cluster);
  }

  public SightlineConfig withPii(PiiMode mode) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, mode, monitoring, alerts, rum, access, retention, ingest, cluster);
  }

  public SightlineConfig withMonitoring(MonitoringConfig m) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, pii, m, alerts, rum, access, retention, ingest, cluster);
  }

  public SightlineConfig withAlerts(AlertsConfig a) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, pii, monitoring, a, rum, access, retention, ingest, cluster);
  }

  public SightlineConfig withAccess(AccessConfig a) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, pii, monitoring, alerts, rum, a, retention, ingest, cluster);
  }

  public SightlineConfig withIngest(IngestLimits i) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, pii, monitoring, alerts, rum, access, retention, i, cluster);
  }

  public SightlineConfig withRetention(RetentionConfig r) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, pii, monitoring, alerts, rum, access, r, ingest, cluster);
  }

  public SightlineConfig withCluster(ClusterConfig c) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, pii, monitoring, alerts, rum, access, retention, ingest, c);
  }

  public SightlineConfig withRum(RumConfig r) {
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation, pii, monitoring, alerts, r, access, retention, ingest, cluster);
  }

  public SightlineConfig {
    checkPort("--http-port", httpPort);
    checkPort("--otlp-grpc-port", otlpGrpcPort);
    checkPort("--otlp-http-port", otlpHttpPort);
    if (bind == null || bind.isBlank()) {
      throw new ConfigException("--bind must be an address such as 127.0.0.1 or 0.0.0.0");
    }
    if (maxRequestBytes < 1024) {
      throw new ConfigException("--max-request-bytes must be at least 1024, got " + maxRequestBytes);
    }
    if (queueCapacity < 1000) {
      throw new ConfigException("--queue-capacity must be at least 1000 records, got " + queueCapacity);
    }
    if (storeThreads < 1 || storeThreads > 1024) {
      throw new ConfigException("--store-threads must be between 1 and 1024, got " + storeThreads);
    }
    gateway = gateway == null ? GatewayConfig.defaults() : gateway;
    evaluation = evaluation == null ? EvaluationConfig.defaults() : evaluation;
    pii = pii == null ? PiiMode.MASK : pii;
    monitoring = monitoring == null ? MonitoringConfig.none() : monitoring;
    alerts = alerts == null ? AlertsConfig.defaults() : alerts;
    rum = rum == null ? RumConfig.off() : rum;
    access = access == null ? AccessConfig.open() : access;
    retention = retention == null ? RetentionConfig.OFF : retention;
    ingest = ingest == null ? IngestLimits.defaults() : ingest;
    cluster = cluster == null ? ClusterConfig.single() : cluster;
    gateway = withJudgeRoute(gateway, evaluation.judge());
    if (pricingFile != null && !java.nio.file.Files.isRegularFile(pricingFile)) {
      throw new ConfigException("--pricing-file " + pricingFile + " does not exist or is not a file");
    }
    if (httpPort != 0 && (httpPort == otlpGrpcPort || httpPort == otlpHttpPort)
        || otlpGrpcPort != 0 && otlpGrpcPort == otlpHttpPort) {
      throw new ConfigException("--http-port, --otlp-grpc-port and --otlp-http-port must differ (got "
          + httpPort + ", " + otlpGrpcPort + ", " + otlpHttpPort + "); use 0 to pick free ports");
    }
  }

  /** The gateway's route to the LLM judge, through which the judge is called so that its calls are recorded. */
  private static GatewayConfig withJudgeRoute(GatewayConfig gateway, JudgeSettings judge) {
    if (judge == null) {
      return gateway;
    }
    URI taken = gateway.namedRoutes().get(JudgeEvaluator.GATEWAY_ROUTE);
    if (taken == null) {
      return gateway.withRoute(JudgeEvaluator.GATEWAY_ROUTE, judge.url());
    }
    if (!taken.equals(judge.url())) {
      throw new ConfigException("the gateway route name '" + JudgeEvaluator.GATEWAY_ROUTE + "' is used by --judge-url;"
          + " give your --gateway-route " + JudgeEvaluator.GATEWAY_ROUTE + "=" + taken + " another name");
    }
    return gateway;
  }

  private static void checkPort(String flag, int port) {
    if (port < 0 || port > 65535) {
      throw new ConfigException(flag + " must be between 0 and 65535 (0 picks a free port), got " + port);
    }
  }
}
