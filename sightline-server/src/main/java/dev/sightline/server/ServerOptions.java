package dev.sightline.server;

import dev.sightline.gateway.CaptureMode;
import dev.sightline.gateway.GatewayConfig;
import dev.sightline.pipeline.PiiMode;
import dev.sightline.server.config.ConfigException;
import dev.sightline.server.config.RetentionConfig;
import dev.sightline.server.config.SightlineConfig;
import dev.sightline.evaluators.EvaluationPolicy;
import dev.sightline.evaluators.EvaluatorSettings;
import dev.sightline.server.config.EvaluationConfig;
import dev.sightline.server.config.MonitoringConfig;
import dev.sightline.server.config.AlertsConfig;
import dev.sightline.server.config.AccessConfig;
import dev.sightline.server.config.ClusterConfig;
import dev.sightline.server.config.IngestLimits;
import dev.sightline.receivers.rum.RumApp;
import dev.sightline.receivers.rum.RumConfig;
import dev.sightline.evaluators.judge.JudgeEvaluator;
import dev.sightline.evaluators.judge.JudgeSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that runs a server takes. Each has a SIGHTLINE_* equivalent. */
public final class ServerOptions {
  @Option(names = "--config", paramLabel = "FILE",
      description = "Config file of 'key = value' lines, keys named like the long options (e.g. http-port = 7700). Env: SIGHTLINE_CONFIG.")
  Path config;

  @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
      description = "Where the database lives (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_DATA_DIR.")
  Path dataDir;

  @Option(names = "--auth", paramLabel = "MODE",
      description = "keys: ingest needs an ingest key and the API and UI a read key or the admin login (the default"
          + " for 'server'); open: no access control, for local use (the default for 'demo'). docs/access.md."
          + " Env: SIGHTLINE_AUTH.")
  String auth;

  @Option(names = "--admin-password", paramLabel = "PASSWORD",
      description = "The UI's admin password (at least 8 characters). Without it, the first start with --auth keys"
          + " prints a one-time admin token. Env: SIGHTLINE_ADMIN_PASSWORD.")
  String adminPassword;

  /** What --auth means when not given: keys for 'server', open for 'demo' (set by the command). */
  private String defaultAuth = "keys";

  /** Sets what --auth means when it is not given (the demo's is open). */
  public void defaultAuth(String mode) {
    this.defaultAuth = mode;
  }

  @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface). Env: SIGHTLINE_BIND.")
  String bind;

  @Option(names = "--http-port", paramLabel = "PORT", defaultValue = "" + SightlineConfig.DEFAULT_HTTP_PORT,
      description = "Web UI, REST API, /metrics and health (default: ${DEFAULT-VALUE}; 0 picks a free port). Env: SIGHTLINE_HTTP_PORT.")
  int httpPort;

  @Option(names = "--otlp-grpc-port", paramLabel = "PORT", defaultValue = "" + SightlineConfig.DEFAULT_OTLP_GRPC_PORT,
      description = "OTLP/gRPC receiver (default: ${DEFAULT-VALUE}; 0 picks a free port). Env: SIGHTLINE_OTLP_GRPC_PORT.")
  int otlpGrpcPort;

  @Option(names = "--otlp-http-port", paramLabel = "PORT", defaultValue = "" + SightlineConfig.DEFAULT_OTLP_HTTP_PORT,
      description = "OTLP/HTTP receiver (default: ${DEFAULT-VALUE}; 0 picks a free port). Env: SIGHTLINE_OTLP_HTTP_PORT.")
  int otlpHttpPort;

  @Option(names = "--max-request-bytes", paramLabel = "BYTES", defaultValue = "16777216",
      description = "Largest OTLP request accepted, after decompression (default: ${DEFAULT-VALUE} = 16 MiB). Env: SIGHTLINE_MAX_REQUEST_BYTES.")
  long maxRequestBytes;

  @Option(names = "--queue-capacity", paramLabel = "RECORDS", defaultValue = "200000",
      description = "Records that may wait for the store before senders are told to retry (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_QUEUE_CAPACITY.")
  int queueCapacity;

  @Option(names = "--ingest-memory", paramLabel = "SIZE", defaultValue = "auto",
      description = "Bytes of OTLP requests (bodies and their records) held at once before senders get 429 and"
          + " Retry-After (default: auto = a quarter of the heap). Env: SIGHTLINE_INGEST_MEMORY.")
  String ingestMemory;

  @Option(names = "--min-free-disk", paramLabel = "SIZE", defaultValue = "1GiB",
      description = "Free space the data directory keeps: below it, ingest answers 503 and Retry-After instead of"
          + " filling the disk (default: ${DEFAULT-VALUE}; 0 turns the check off). Env: SIGHTLINE_MIN_FREE_DISK.")
  String minFreeDisk;

  @Option(names = "--store-memory", paramLabel = "SIZE|auto", defaultValue = "1GiB",
      description = "Memory DuckDB may use for each project's database; larger queries spill to disk (default:"
          + " ${DEFAULT-VALUE}; auto: DuckDB's own default, 80 % of the machine's memory). Env: SIGHTLINE_STORE_MEMORY.")
  String storeMemory;

  @Option(names = "--store-threads", paramLabel = "N", defaultValue = "" + SightlineConfig.DEFAULT_STORE_THREADS,
      description = "Threads DuckDB may use for one query (default: ${DEFAULT-VALUE}). More speed up large scans, but "
          + "the gateway's streams then stall more often around commits (docs/gateway.md). Env: SIGHTLINE_STORE_THREADS.")
  int storeThreads;

  @Option(names = "--role", paramLabel = "ROLES", defaultValue = "all",
      description = "What this process runs: all (default), or a list of ingest (OTLP, gateway, real users), writer"
          + " (the store) and query (API, UI, alerts, evaluators). Split roles need --bus. docs/scale-out.md."
          + " Env: SIGHTLINE_ROLE.")
  String role;

  @Option(names = "--bus", paramLabel = "kafka://HOST:PORT",
      description = "Kafka between ingest and writer roles: ingest publishes processed batches, and an OTLP export is"
          + " answered once Kafka holds them (acks=all); writers consume them into the store. Default: no bus."
          + " Env: SIGHTLINE_BUS.")
  String bus;

  @Option(names = "--store", paramLabel = "duckdb|postgres://…", defaultValue = "duckdb",
      description = "Where records live: duckdb (default: embedded files in --data-dir) or a PostgreSQL database shared"
          + " by writer and query roles, postgres://USER:PASSWORD@HOST:PORT/DB (docs/scale-out.md). Env: SIGHTLINE_STORE.")
  String store;

  @Option(names = "--store-connections", paramLabel = "N", defaultValue = "8",
      description = "With --store postgres://…: connections each project's store keeps open (default: ${DEFAULT-VALUE})."
          + " Env: SIGHTLINE_STORE_CONNECTIONS.")
  int storeConnections;

  @Option(names = "--bus-topic", paramLabel = "TOPIC", defaultValue = "sightline.batches",
      description = "The Kafka topic of the bus (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_BUS_TOPIC.")
  String busTopic;

  @Option(names = "--pricing-file", paramLabel = "FILE",
      description = "Your own prices (YAML or JSON, see docs/pricing.md), laid over the bundled catalog and reloaded when it changes. Env: SIGHTLINE_PRICING_FILE.")
  Path pricingFile;

  @Option(names = "--gateway-openai-upstream", paramLabel = "URL", defaultValue = "https://api.openai.com",
      description = "Where /gateway/openai/... forwards to (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_GATEWAY_OPENAI_UPSTREAM.")
  URI gatewayOpenaiUpstream;

  @Option(names = "--gateway-anthropic-upstream", paramLabel = "URL", defaultValue = "https://api.anthropic.com",
      description = "Where /gateway/anthropic/... forwards to (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_GATEWAY_ANTHROPIC_UPSTREAM.")
  URI gatewayAnthropicUpstream;

  @Option(names = "--gateway-ollama-upstream", paramLabel = "URL", defaultValue = "http://127.0.0.1:11434",
      description = "Where /gateway/ollama/... (Ollama's native API) forwards to (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_GATEWAY_OLLAMA_UPSTREAM.")
  URI gatewayOllamaUpstream;

  @Option(names = "--gateway-bedrock-region", paramLabel = "REGION",
      description = "AWS region the gateway signs Bedrock requests for (default: AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1). Env: SIGHTLINE_GATEWAY_BEDROCK_REGION.")
  String gatewayBedrockRegion;

  @Option(names = "--gateway-bedrock-upstream", paramLabel = "URL",
      description = "Where /gateway/bedrock/... forwards to (default: https://bedrock-runtime.REGION.amazonaws.com). Env: SIGHTLINE_GATEWAY_BEDROCK_UPSTREAM.")
  URI gatewayBedrockUpstream;

  @Option(names = "--gateway-route", paramLabel = "NAME=URL", split = ",",
      description = "A self-hosted OpenAI-compatible server served at /gateway/NAME/..., e.g. vllm=http://127.0.0.1:8000. "
          + "Repeat, or separate with commas. Env: SIGHTLINE_GATEWAY_ROUTE.")
  Map<String, URI> gatewayRoutes;

  @Option(names = "--gateway-capture", paramLabel = "MODE", defaultValue = "metadata",
      description = "What the gateway keeps: on (prompts and responses too), masked (prompts and responses with personal "
          + "data masked in the gateway, whatever --pii says), metadata (default: model, tokens, timing, outcome) or off "
          + "(plain proxy, nothing recorded). Env: SIGHTLINE_GATEWAY_CAPTURE.")
  String gatewayCapture;

  @Option(names = "--gateway-route-capture", paramLabel = "ROUTE=MODE", split = ",",
      description = "Capture mode for one gateway route, overriding --gateway-capture, e.g. anthropic=off or vllm=masked. "
          + "Repeat, or separate with commas. Env: SIGHTLINE_GATEWAY_ROUTE_CAPTURE.")
  Map<String, String> gatewayRouteCapture;

  @Option(names = "--pii", paramLabel = "MODE", defaultValue = "mask",
      description = "Personal data in prompts, responses and attributes before storage: mask (default: emails, phone "
          + "numbers, payment cards, IBANs, national ids, API keys, JWTs replaced by [email], [card]…), drop (content not "
          + "stored at all) or off. Env: SIGHTLINE_PII.")
  String pii;

  @Option(names = "--evaluators", paramLabel = "LIST", defaultValue = "groundedness,commitment,injection",
      description = "Evaluators that judge every stored LLM call, comma-separated, or off (default: ${DEFAULT-VALUE}; "
          + "docs/quality.md). Env: SIGHTLINE_EVALUATORS.")
  String evaluators;

  @Option(names = "--eval-embeddings", paramLabel = "on|off", defaultValue = "off",
      description = "Whether groundedness blends in-process sentence embeddings (all-MiniLM-L6-v2) into its similarity "
          + "(default: ${DEFAULT-VALUE}: measured no more accurate, at 2.5x the CPU and 130 MB; docs/quality.md). "
          + "Env: SIGHTLINE_EVAL_EMBEDDINGS.")
  String evalEmbeddings;

  @Option(names = "--eval-sample", paramLabel = "RATE", defaultValue = "1.0",
      description = "Share of LLM calls evaluated, 0 (none) to 1 (all) (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_EVAL_SAMPLE.")
  double evalSample;

  @Option(names = "--eval-route", paramLabel = "ROUTE=RATE", split = ",",
      description = "Sampling rate for one route (the trace's root span name), overriding --eval-sample; 0 turns it off, "
          + "e.g. \"POST /chat=1\". Repeat, or separate with commas. Env: SIGHTLINE_EVAL_ROUTE.")
  Map<String, Double> evalRoutes;

  @Option(names = "--eval-service", paramLabel = "SERVICE=RATE", split = ",",
      description = "Sampling rate for one service, overriding --eval-sample (a route's rate wins); 0 turns it off. "
          + "Repeat, or separate with commas. Env: SIGHTLINE_EVAL_SERVICE.")
  Map<String, Double> evalServices;

  @Option(names = "--eval-queue", paramLabel = "CALLS", defaultValue = "" + EvaluatorSettings.DEFAULT_QUEUE_CAPACITY,
      description = "LLM calls that may wait for evaluation; more are dropped and counted (default: ${DEFAULT-VALUE}). "
          + "Env: SIGHTLINE_EVAL_QUEUE.")
  int evalQueue;

  @Option(names = "--eval-threads", paramLabel = "N", defaultValue = "1",
      description = "Threads the evaluators use (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_EVAL_THREADS.")
  int evalThreads;

  @Option(names = "--eval-cpu", paramLabel = "SHARE", defaultValue = "" + EvaluatorSettings.DEFAULT_CPU_SHARE,
      description = "Share of one core the evaluator threads may use together, above 0 and at most --eval-threads "
          + "(default: ${DEFAULT-VALUE}); they pause to stay within it, and calls they cannot take in time are dropped "
          + "and counted. Env: SIGHTLINE_EVAL_CPU.")
  double evalCpu;

  @Option(names = "--eval-delay", paramLabel = "DURATION", defaultValue = "2s",
      description = "How long after a call is stored it is evaluated, so the trace's retrieval spans are there too "
          + "(default: ${DEFAULT-VALUE}; e.g. 500ms, 5s). Env: SIGHTLINE_EVAL_DELAY.")
  String evalDelay;

  @Option(names = "--judge-url", paramLabel = "URL",
      description = "An OpenAI-compatible server whose model judges groundedness (evaluator judge.groundedness), given as "
          + "OpenAI clients take it, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8000/v1 (vLLM); a URL "
          + "without a path means /v1. Called through the gateway's route 'judge', so its calls are recorded and priced. "
          + "Env: SIGHTLINE_JUDGE_URL.")
  URI judgeUrl;

  @Option(names = "--judge-model", paramLabel = "NAME",
      description = "The judge's model, as its server names it (required with --judge-url). Env: SIGHTLINE_JUDGE_MODEL.")
  String judgeModel;

  @Option(names = "--judge-api-key", paramLabel = "KEY",
      description = "Bearer token for the judge's server, if it needs one; never logged. Env: SIGHTLINE_JUDGE_API_KEY.")
  String judgeApiKey;

  @Option(names = "--judge-timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "How long one judgement may take before the call is marked not evaluated (default: ${DEFAULT-VALUE}). "
          + "Env: SIGHTLINE_JUDGE_TIMEOUT.")
  String judgeTimeout;

  @Option(names = "--scrape", paramLabel = "NAME=URL[,INTERVAL]",
      description = "A Prometheus /metrics page to read on a schedule: a self-hosted engine (vLLM, SGLang, TGI, llama.cpp) "
          + "or a GPU exporter (DCGM), e.g. vllm=http://127.0.0.1:8000/metrics,5s. NAME becomes the metrics' service. "
          + "Repeat, or separate with spaces (docs/engines.md). Env: SIGHTLINE_SCRAPE.")
  List<String> scrape;

  @Option(names = "--scrape-interval", paramLabel = "DURATION", defaultValue = "15s",
      description = "How often a target without its own interval is read (default: ${DEFAULT-VALUE}; 1s to 1h). "
          + "Env: SIGHTLINE_SCRAPE_INTERVAL.")
  String scrapeInterval;

  @Option(names = "--ollama", paramLabel = "NAME=URL[,INTERVAL]",
      description = "An Ollama server to poll (/api/ps and /api/tags: loaded models, share in GPU memory, cold loads), "
          + "e.g. ollama=http://127.0.0.1:11434. Repeat, or separate with spaces. Env: SIGHTLINE_OLLAMA.")
  List<String> ollama;

  @Option(names = "--nvidia-smi", paramLabel = "auto|off|COMMAND[,INTERVAL]", defaultValue = "auto",
      description = "The built-in GPU collector for hosts without a DCGM exporter: auto (default: runs nvidia-smi when "
          + "it is on PATH, else stays off), off, or the command's path. Env: SIGHTLINE_NVIDIA_SMI.")
  String nvidiaSmi;

  @Option(names = "--gpu-price", paramLabel = "NAME=USD_PER_HOUR", split = ",",
      description = "What the GPUs of the engine scraped as NAME cost per hour, e.g. vllm=2.49: turns GPU time into "
          + "cost per request and per 1k output tokens of its self-hosted model. Repeat, or separate with commas. "
          + "Env: SIGHTLINE_GPU_PRICE.")
  Map<String, String> gpuPrices;

  @Option(names = "--alert-rule", paramLabel = "RULE",
      description = "An alert rule, e.g. 'id=5xx; figure=error_rate_5xx; groupBy=provider; window=5m; condition=> 0.05; "
          + "for=2m; severity=critical' (docs/alerts.md). Repeat; in the config file one rule per alert-rule line. "
          + "Env: SIGHTLINE_ALERT_RULE (rules separated by new lines).")
  List<String> alertRules;

  @Option(names = "--webhook", paramLabel = "NAME=URL[,FORMAT]",
      description = "Where alert notifications go, e.g. ops=https://hooks.example.com/x,slack (FORMAT json or slack, "
          + "default json). Repeat, or separate with spaces. Env: SIGHTLINE_WEBHOOK.")
  List<String> webhooks;

  @Option(names = "--alert-interval", paramLabel = "DURATION", defaultValue = "1m",
      description = "How often alert rules are evaluated (default: ${DEFAULT-VALUE}; 1s to 1h). Env: SIGHTLINE_ALERT_INTERVAL.")
  String alertInterval;

  @Option(names = "--cost-anomalies", paramLabel = "on|off", defaultValue = "on",
      description = "Watch cost per hour against its hour-of-week baseline and alert on anomalies, with their cause "
          + "(default: ${DEFAULT-VALUE}). Env: SIGHTLINE_COST_ANOMALIES.")
  String costAnomalies;

  @Option(names = "--budget", paramLabel = "NAME=SCOPE[:VALUE],USD/PERIOD[,soft=PCT%][,hard]",
      description = "A spending budget, e.g. chat=route:/chat,50/month,soft=75%,hard (SCOPE project, service, route or "
          + "user; PERIOD month or a rolling 24h, 7d…; soft alerts, default 80%; hard makes the gateway answer 429 at the "
          + "limit; docs/budgets.md). Repeat, or separate with spaces. Env: SIGHTLINE_BUDGET.")
  List<String> budgets;

  @Option(names = "--rum-app", paramLabel = "NAME=KEY[,origin=ORIGIN]...[,sample=RATE]",
      description = "A web app whose browsers may send real-user events to /rum/v1/events, e.g. "
          + "web=pk_web,origin=https://chat.example.com,sample=0.5: NAME becomes the spans' service, KEY is the public "
          + "ingest key the agent sends, each origin (or * for any) may send from browsers, RATE is the share of sessions "
          + "kept (default 1). Repeat, or separate with spaces (docs/rum.md). Env: SIGHTLINE_RUM_APP.")
  List<String> rumApps;

  @Option(names = "--rum-max-body", paramLabel = "SIZE", defaultValue = "64KiB",
      description = "Largest RUM request body accepted; larger gets 413 (default: ${DEFAULT-VALUE}; bytes, or with "
          + "KiB / MiB). Env: SIGHTLINE_RUM_MAX_BODY.")
  String rumMaxBody;

  @Option(names = "--retention", paramLabel = "DAYS|off", defaultValue = "off",
      description = "Days of spans, LLM calls, logs, metric points and scores kept; older ones are deleted every hour "
          + "(default: ${DEFAULT-VALUE}: kept forever; docs/storage.md). Env: SIGHTLINE_RETENTION.")
  String retention;

  @Option(names = "--content-retention", paramLabel = "DAYS|off", defaultValue = "off",
      description = "Days captured prompts, completions and messages are kept; older calls keep their tokens, cost and "
          + "timing (default: ${DEFAULT-VALUE}: kept as long as the call). Env: SIGHTLINE_CONTENT_RETENTION.")
  String contentRetention;

  public SightlineConfig toConfig() {
    CaptureMode capture = captureMode("--gateway-capture", gatewayCapture);
    JudgeSettings judge = judge();
    GatewayConfig gateway;
    try {
      gateway = new GatewayConfig(gatewayOpenaiUpstream, gatewayRoutes, null, null, capture)
          .withAnthropicUpstream(gatewayAnthropicUpstream).withOllamaUpstream(gatewayOllamaUpstream)
          .withBedrock(gatewayBedrockRegion, gatewayBedrockUpstream);
      if (judge != null) {
        if (gateway.namedRoutes().containsKey(JudgeEvaluator.GATEWAY_ROUTE)) {
          throw new ConfigException("the gateway route name '" + JudgeEvaluator.GATEWAY_ROUTE + "' is used by --judge-url;"
              + " give your --gateway-route " + JudgeEvaluator.GATEWAY_ROUTE + "=… another name");
        }
        // before the per-route capture modes, so that --gateway-route-capture judge=MODE can name it
        gateway = gateway.withRoute(JudgeEvaluator.GATEWAY_ROUTE, judge.url());
      }
      if (gatewayRouteCapture != null) {
        for (Map.Entry<String, String> e : gatewayRouteCapture.entrySet()) {
          gateway = gateway.withRouteCapture(e.getKey(), captureMode("--gateway-route-capture " + e.getKey(), e.getValue()));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway, evaluation(judge), piiMode(), monitoring(), alerts(), rum(),
        AccessConfig.parse(auth, defaultAuth, adminPassword),
        new RetentionConfig(RetentionConfig.days("--retention", retention),
            RetentionConfig.days("--content-retention", contentRetention)),
        new IngestLimits(ingestMemory == null || ingestMemory.equals("auto") ? 0 : size("--ingest-memory", ingestMemory),
            size("--min-free-disk", minFreeDisk),
            storeMemory.equals("auto") ? 0 : size("--store-memory", storeMemory)),
        new ClusterConfig(ClusterConfig.parseRoles(role), ClusterConfig.parseBus(bus), busTopic, store,
            storeConnections));
  }

  private JudgeSettings judge() {
    if (judgeUrl == null) {
      if (judgeModel != null) {
        throw new ConfigException("--judge-model is set but --judge-url is not: give the judge's OpenAI-compatible"
            + " server too, e.g. --judge-url http://127.0.0.1:11434/v1");
      }
      return null;
    }
    if (judgeModel == null || judgeModel.isBlank()) {
      throw new ConfigException("--judge-url needs --judge-model: the model that judges, as " + judgeUrl
          + " names it (e.g. gpt-4o-mini, llama3.1:8b)");
    }
    try {
      return new JudgeSettings(judgeUrl, judgeModel, judgeApiKey, duration("--judge-timeout", judgeTimeout));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (--judge-url, --judge-model, --judge-timeout)");
    }
  }

  private MonitoringConfig monitoring() {
    return MonitoringConfig.parse(scrape, ollama, nvidiaSmi, duration("--scrape-interval", scrapeInterval), gpuPrices);
  }

  private AlertsConfig alerts() {
    return AlertsConfig.parse(alertRules, webhooks, duration("--alert-interval", alertInterval),
        onOff("--cost-anomalies", costAnomalies), budgets);
  }

  private RumConfig rum() {
    long maxBody = size("--rum-max-body", rumMaxBody);
    List<RumApp> apps = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String value : rumApps == null ? List.<String>of() : rumApps) {
      for (String spec : value.trim().split("\\s+")) {
        if (spec.isEmpty()) {
          continue;
        }
        try {
          apps.add(RumApp.parse(spec));
        } catch (IllegalArgumentException e) {
          problems.add("--rum-app '" + spec + "': " + e.getMessage());
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(String.join("\n", problems));
    }
    try {
      return new RumConfig(apps, maxBody);
    } catch (IllegalArgumentException e) {
      throw new ConfigException((e.getMessage().startsWith("the RUM body limit") ? "--rum-max-body: " : "--rum-app: ")
          + e.getMessage());
    }
  }

  /** {@code 65536}, {@code 64KiB}, {@code 1MiB}, {@code 1GiB} (also {@code 64k}, {@code 1m}, {@code 64KB}: all binary). */
  static long size(String option, String s) {
    String t = s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT);
    long unit = 1;
    for (String[] suffix : new String[][] {{"gib", "1073741824"}, {"kib", "1024"}, {"mib", "1048576"}, {"gb", "1073741824"},
        {"kb", "1024"}, {"mb", "1048576"}, {"g", "1073741824"}, {"k", "1024"}, {"m", "1048576"}, {"b", "1"}}) {
      if (t.endsWith(suffix[0])) {
        t = t.substring(0, t.length() - suffix[0].length()).trim();
        unit = Long.parseLong(suffix[1]);
        break;
      }
    }
    try {
      long n = Long.parseLong(t);
      if (n < 0) {
        throw new NumberFormatException();
      }
      return Math.multiplyExact(n, unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(option + " must be a size such as 65536, 64KiB or 1MiB; got '" + s + "'");
    }
  }

  private PiiMode piiMode() {
    try {
      return PiiMode.parse(pii);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--pii: " + e.getMessage());
    }
  }

  private EvaluationConfig evaluation(JudgeSettings judge) {
    List<String> names = new ArrayList<>();
    if (evaluators != null && !evaluators.isBlank() && !evaluators.trim().equalsIgnoreCase("off")) {
      for (String n : evaluators.split(",")) {
        if (!n.isBlank()) {
          names.add(n.trim().toLowerCase(java.util.Locale.ROOT));
        }
      }
    }
    try {
      EvaluationPolicy policy = new EvaluationPolicy(evalSample, evalRoutes, evalServices);
      return new EvaluationConfig(names, onOff("--eval-embeddings", evalEmbeddings),
          new EvaluatorSettings(policy, evalQueue, evalThreads, duration("--eval-delay", evalDelay), evalCpu), judge);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage() + " (--eval-sample, --eval-route, --eval-service, --eval-queue,"
          + " --eval-threads, --eval-delay, --eval-cpu)");
    }
  }

  private static boolean onOff(String option, String value) {
    String v = value == null ? "" : value.trim().toLowerCase(java.util.Locale.ROOT);
    return switch (v) {
      case "on", "true", "yes" -> true;
      case "off", "false", "no" -> false;
      default -> throw new ConfigException(option + " must be on or off; got '" + value + "'");
    };
  }

  /** {@code 500ms}, {@code 2s}, {@code 1m}, or a bare number of milliseconds. */
  static Duration duration(String option, String s) {
    String t = s == null ? "" : s.trim().toLowerCase(java.util.Locale.ROOT);
    try {
      if (t.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2).trim()));
      }
      if (t.endsWith("s")) {
        return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 1000));
      }
      if (t.endsWith("m")) {
        return Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1).trim()) * 60));
      }
      return Duration.ofMillis(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new ConfigException(option + " must be a duration such as 500ms, 2s or 1m; got '" + s + "'");
    }
  }

  private static CaptureMode captureMode(String option, String value) {
    try {
      return CaptureMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(option + " must be on, masked, metadata or off; got '" + value + "'");
    }
  }
}
