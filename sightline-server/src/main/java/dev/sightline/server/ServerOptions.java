package dev.sightline.server;

import dev.sightline.gateway.CaptureMode;
import dev.sightline.gateway.GatewayConfig;
import dev.sightline.server.config.ConfigException;
import dev.sightline.server.config.SightlineConfig;
import java.net.URI;
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

  @Option(names = "--store-threads", paramLabel = "N", defaultValue = "" + SightlineConfig.DEFAULT_STORE_THREADS,
      description = "Threads DuckDB may use for one query (default: ${DEFAULT-VALUE}). More speed up large scans, but "
          + "the gateway's streams then stall more often around commits (docs/gateway.md). Env: SIGHTLINE_STORE_THREADS.")
  int storeThreads;

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
      description = "What the gateway keeps: on (prompts and responses too), metadata (default: model, tokens, timing, "
          + "outcome) or off (plain proxy, nothing recorded). Env: SIGHTLINE_GATEWAY_CAPTURE.")
  String gatewayCapture;

  @Option(names = "--gateway-route-capture", paramLabel = "ROUTE=MODE", split = ",",
      description = "Capture mode for one gateway route, overriding --gateway-capture, e.g. anthropic=off or vllm=on. "
          + "Repeat, or separate with commas. Env: SIGHTLINE_GATEWAY_ROUTE_CAPTURE.")
  Map<String, String> gatewayRouteCapture;

  public SightlineConfig toConfig() {
    CaptureMode capture = captureMode("--gateway-capture", gatewayCapture);
    GatewayConfig gateway;
    try {
      gateway = new GatewayConfig(gatewayOpenaiUpstream, gatewayRoutes, null, null, capture)
          .withAnthropicUpstream(gatewayAnthropicUpstream).withOllamaUpstream(gatewayOllamaUpstream)
          .withBedrock(gatewayBedrockRegion, gatewayBedrockUpstream);
      if (gatewayRouteCapture != null) {
        for (Map.Entry<String, String> e : gatewayRouteCapture.entrySet()) {
          gateway = gateway.withRouteCapture(e.getKey(), captureMode("--gateway-route-capture " + e.getKey(), e.getValue()));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
    return new SightlineConfig(dataDir, bind, httpPort, otlpGrpcPort, otlpHttpPort, maxRequestBytes, queueCapacity,
        storeThreads, pricingFile, gateway);
  }

  private static CaptureMode captureMode(String option, String value) {
    try {
      return CaptureMode.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new ConfigException(option + " must be on, metadata or off; got '" + value + "'");
    }
  }
}
