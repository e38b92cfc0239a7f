package dev.sightline.server;

import dev.sightline.evaluators.Evaluator;
import dev.sightline.evaluators.judge.JudgeEvaluator;
import dev.sightline.receivers.rum.RumApp;
import dev.sightline.server.config.ClusterConfig;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The lines a server logs once it listens: where each part is and what is on. */
final class StartupLog {
  private static final Logger log = LoggerFactory.getLogger(SightlineServer.class);

  private StartupLog() {}

  static void print(SightlineConfig config, String adminToken, int httpPort, int otlpGrpcPort, int otlpHttpPort,
      URI selfBase, List<Evaluator> evaluators, List<dev.sightline.scrape.TargetHealth> targets) {
    ClusterConfig cluster = config.cluster();
    boolean ingest = cluster.has(ClusterConfig.Role.INGEST);
    boolean query = cluster.has(ClusterConfig.Role.QUERY);
    log.info("Sightline is up. Data: {}", config.dataDir().toAbsolutePath().normalize());
    if (cluster.storeUrl() != null) {
      log.info("  store                {} (docs/scale-out.md)", cluster.storeLabel());
    }
    if (cluster.roles().size() < ClusterConfig.Role.values().length || cluster.busServers() != null) {
      log.info("  roles                {}{} (docs/scale-out.md)", ClusterConfig.wire(cluster.roles()),
          cluster.busServers() == null ? "" : "; bus kafka://" + cluster.busServers() + " topic " + cluster.busTopic()
              + (cluster.publishes() ? ", publishing" : "") + (cluster.consumes() ? ", consuming" : ""));
    }
    if (config.access().keys()) {
      log.info("  access               keys required: ingest keys for OTLP and the gateway, read keys or the admin"
          + " login for the API and UI (docs/access.md)");
      if (adminToken != null) {
        log.warn("  admin login          first start: the admin token is {} (shown once; log in at http://{}:{}/login,"
            + " or set --admin-password)", adminToken, config.bind(), httpPort);
      }
    } else {
      log.info("  access               open: anyone who reaches these ports may send and read (--auth keys to"
          + " require keys; docs/access.md)");
    }
    if (query) {
      log.info("  dashboard            http://{}:{}/", config.bind(), httpPort);
      log.info("  REST API             http://{}:{}/api/v1/traces", config.bind(), httpPort);
    }
    if (ingest) {
      log.info("  OTLP/gRPC            {}:{}", config.bind(), otlpGrpcPort);
      log.info("  OTLP/HTTP            http://{}:{}/v1/traces", config.bind(), otlpHttpPort);
      log.info("  LLM gateway          http://{}:{}/gateway/openai/v1 -> {}, /gateway/anthropic -> {},"
        + " /gateway/ollama -> {}, /gateway/bedrock -> {}{}", config.bind(), httpPort,
        config.gateway().openaiUpstream(), config.gateway().anthropicUpstream(), config.gateway().ollamaUpstream(),
        config.gateway().bedrockUpstream() != null ? config.gateway().bedrockUpstream()
            : "AWS Bedrock (region " + (config.gateway().bedrockRegion() != null ? config.gateway().bedrockRegion()
                : "AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1") + ")",
        config.gateway().namedRoutes().isEmpty() ? "" : "; routes " + config.gateway().namedRoutes());
    }
    log.info("  metrics and health   http://{}:{}/metrics  /healthz  /readyz", config.bind(), httpPort);
    log.info("  quality              evaluators: {}{}; personal data in content: {} (docs/quality.md)",
        evaluators.isEmpty() ? "off" : String.join(", ", config.evaluation().evaluators()),
        evaluators.isEmpty() ? "" : " (sample " + config.evaluation().settings().policy().defaultRate()
            + (config.evaluation().embeddings() ? ", sentence embeddings on" : "") + ")",
        config.pii().wire());
    if (config.evaluation().judge() != null) {
      log.info("  LLM judge            {} at {} via {}/gateway/{}", config.evaluation().judge().model(),
          config.evaluation().judge().url(), selfBase, JudgeEvaluator.GATEWAY_ROUTE);
    }
        if (targets.isEmpty()) {
      log.info("  engines and GPUs     nothing scraped (add --scrape vllm=http://127.0.0.1:8000/metrics; docs/engines.md)");
    } else {
      for (dev.sightline.scrape.TargetHealth t : targets) {
        log.info("  engines and GPUs     {} {} every {} ms{}", t.kind(), t.url(), t.intervalMs(),
            t.name().equals(t.url()) ? "" : " as " + t.name());
      }
    }
    log.info("  alerts               {} config rule(s), webhooks {}, every {} s, cost anomalies {} (docs/alerts.md)",
        config.alerts().rules().size(), config.alerts().webhooks().stream().map(w -> w.name()).toList(),
        config.alerts().interval().toSeconds(), config.alerts().costAnomalies() ? "on" : "off");
    for (var b : config.alerts().budgets()) {
      log.info("  budget               {}: {} ${} per {}{} (docs/budgets.md)", b.name(), b.scopeLabel(),
          b.limitUsd().toPlainString(), b.period().wire(), b.hard() ? ", hard: the gateway refuses calls at the limit"
              : ", soft " + b.softPct() + " %");
    }
    if (config.rum().enabled()) {
      for (RumApp app : config.rum().apps()) {
        log.info("  real users (RUM)     app {} key {} from {}{}; agent http://{}:{}/rum/sightline-rum.js (docs/rum.md)",
            app.name(), app.key(), app.origins().isEmpty() ? "no browser origin (server-side senders only)"
                : String.join(", ", app.origins()), app.sampleRate() < 1 ? ", sample " + app.sampleRate() : "",
            config.bind(), httpPort);
      }
    } else {
      log.info("  real users (RUM)     off (add --rum-app web=pk_web,origin=https://your.site; docs/rum.md)");
    }
  }
}
