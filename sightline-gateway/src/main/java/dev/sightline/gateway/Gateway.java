package dev.sightline.gateway;

import com.linecorp.armeria.client.ClientFactory;
import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.ServerListener;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestCounters;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Sightline's LLM gateway (OpenAI-compatible APIs, Anthropic Messages, Ollama's native API and
 * Bedrock's runtime API): a streaming proxy that apps reach by changing only their SDK's base URL
 * (or endpoint). Every chat, completion, responses, embeddings, messages, Ollama chat / generate
 * and Bedrock converse / invoke call it forwards becomes one canonical span, measured on the wire
 * and handed to the pipeline as receiver {@code gateway}, fail-open: telemetry never slows or fails
 * the proxied call.
 *
 * <p>Usage: {@code new Gateway(ingest, counters, config).bind(serverBuilder)} serves
 * {@code /gateway/openai/…}, {@code /gateway/anthropic/…}, {@code /gateway/ollama/…},
 * {@code /gateway/bedrock/…} and {@code /gateway/{name}/…} for each named route.
 */
public final class Gateway {
  /** Largest request body accepted (ARCHITECTURE.md §8); larger ones get 413. */
  public static final long MAX_REQUEST_BYTES = 16L << 20;
  static final String PREFIX = "/gateway/";

  private final GatewayConfig config;
  private final TelemetryOut telemetry;
  private final ClientFactory clients;
  private final UpstreamClient direct;
  private final List<Route> routes = new ArrayList<>();

  private final AwsCredentialsProvider awsCredentials;
  private final CallAdmission admission;
  private final RefusalCounts refusals = new RefusalCounts();
  private final GatewayAccess access;
  private final RefusalCounts accessRefusals = new RefusalCounts();

  /** A gateway that signs Bedrock requests with credentials from the standard AWS provider chain. */
  public Gateway(Ingest ingest, IngestCounters counters, GatewayConfig config) {
    this(ingest, counters, config, null);
  }

  /**
   * A gateway that signs Bedrock requests with {@code awsCredentials} (null: the standard AWS
   * provider chain, consulted only when a Bedrock request arrives).
   */
  public Gateway(Ingest ingest, IngestCounters counters, GatewayConfig config, AwsCredentialsProvider awsCredentials) {
    this(ingest, counters, config, awsCredentials, CallAdmission.ADMIT_ALL);
  }

  /**
   * A gateway that asks {@code admission} before relaying each recorded call (budgets); a refused
   * call is answered 429 and never reaches the upstream.
   */
  public Gateway(Ingest ingest, IngestCounters counters, GatewayConfig config, AwsCredentialsProvider awsCredentials,
      CallAdmission admission) {
    this(ingest, counters, config, awsCredentials, admission, GatewayAccess.OPEN);
  }

  /**
   * A gateway that asks {@code access} before relaying anything (keys, projects, virtual keys): a
   * refused call is answered 401 and never reaches the upstream; an allowed one is recorded in the
   * decision's project and, for a virtual key, sent with the provider key the decision holds.
   */
  public Gateway(Ingest ingest, IngestCounters counters, GatewayConfig config, AwsCredentialsProvider awsCredentials,
      CallAdmission admission, GatewayAccess access) {
    this.access = Objects.requireNonNull(access, "access");
    this.admission = Objects.requireNonNull(admission, "admission");
    this.config = Objects.requireNonNull(config, "config");
    this.awsCredentials = awsCredentials != null ? awsCredentials
        : DefaultCredentialsProvider.builder().build();
    this.telemetry = new TelemetryOut(Objects.requireNonNull(ingest, "ingest"),
        Objects.requireNonNull(counters, "counters"));
    this.clients = ClientFactory.builder()
        .eventLoopSchedulerFactory(ServingLoopScheduler::new)
        .connectTimeout(config.connectTimeout())
        .idleTimeout(Duration.ofSeconds(60))
        .build();
    this.direct = new UpstreamClient(config.connectTimeout());
    routes.add(route("openai", "openai", config.openaiUpstream(), Route.Api.OPENAI));
    routes.add(route("anthropic", "anthropic", config.anthropicUpstream(), Route.Api.ANTHROPIC));
    routes.add(route("ollama", "ollama", config.ollamaUpstream(), Route.Api.OLLAMA));
    routes.add(route("bedrock", BEDROCK_PROVIDER, config.bedrockEndpoint(), Route.Api.BEDROCK));
    for (Map.Entry<String, URI> e : config.namedRoutes().entrySet()) {
      routes.add(route(e.getKey(), e.getKey(), e.getValue(), Route.Api.OPENAI));
    }
  }

  /** The provider name Bedrock calls are recorded with (OTel GenAI's {@code aws.bedrock}, which the pricing catalog keys on). */
  static final String BEDROCK_PROVIDER = "aws.bedrock";

  /**
   * Waits until the record of every call whose response has ended is in the pipeline (records are
   * built off the event loops, just after the response); false if some were still being built
   * after {@code timeout}.
   */
  boolean awaitRecorded(Duration timeout) {
    return telemetry.awaitSubmitted(timeout);
  }

  /** Calls refused so far, per budget name (for /metrics). */
  public java.util.Map<String, Long> budgetRefusals() {
    return refusals.snapshot();
  }

  /** Calls refused for want of a valid key so far, per route name (for /metrics). */
  public java.util.Map<String, Long> accessRefusals() {
    return accessRefusals.snapshot();
  }

  /** Binds the gateway's routes on {@code sb}; the upstream connections close when that server stops. */
  public void bind(ServerBuilder sb) {
    for (Route r : routes) {
      sb.route()
          .pathPrefix(PREFIX + r.name() + "/")
          .requestTimeout(Duration.ZERO)
          .maxRequestLength(MAX_REQUEST_BYTES)
          .build(new GatewayService(r, telemetry, admission, refusals, new AccessGate(access, r, accessRefusals),
              directFor(r)));
    }
    List<String> names = routes.stream().map(Route::name).toList();
    sb.route().pathPrefix(PREFIX).build((ctx, req) -> unknownRoute(ctx.mappedPath(), names));
    sb.serverListener(ServerListener.builder().whenStopped(s -> {
      telemetry.close(); // the calls already relayed are recorded before the pipeline closes
      clients.closeAsync();
      direct.close();
      if (awsCredentials instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // nothing to do: the provider only held cached credentials
        }
      }
    }).build());
  }

  /**
   * The direct client for a route's recorded calls where it applies: plain HTTP (TLS upstreams stay on
   * Armeria's client), not Bedrock (whose requests are re-signed on the way), and a host that needs no
   * DNS lookup (Armeria's client resolves names without blocking an event loop).
   */
  private UpstreamClient directFor(Route r) {
    return r.signer() == null && "http".equalsIgnoreCase(r.upstream().getScheme())
        && UpstreamClient.reachableWithoutLookup(r.upstream()) ? direct : null;
  }

  private Route route(String name, String provider, URI upstream, Route.Api api) {
    boolean tls = "https".equalsIgnoreCase(upstream.getScheme());
    // Plain-text upstreams (vLLM, llama.cpp, Ollama, TGI) speak HTTP/1.1: ask for it directly
    // instead of probing for h2c on every new connection.
    String base = (tls ? SessionProtocol.HTTPS : SessionProtocol.H1C).uriText() + "://" + upstream.getRawAuthority();
    WebClient client = WebClient.builder(base)
        .factory(clients)
        .responseTimeout(config.responseTimeout())
        .maxResponseLength(0)
        .build();
    BedrockSigner signer = api == Route.Api.BEDROCK
        ? new BedrockSigner(awsCredentials, config.bedrockSigningRegion(), upstream) : null;
    return new Route(name, provider, upstream, client, config.responseTimeout(), api, config.captureFor(name), signer);
  }

  private static HttpResponse unknownRoute(String path, List<String> names) {
    String name = path.length() > 1 ? path.substring(1).split("/", 2)[0] : "";
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", "unknown_gateway_route");
    error.put("message", "no gateway route named '" + (name.length() > 64 ? name.substring(0, 64) : name)
        + "'; configured routes: " + names + ". Add one with --gateway-route NAME=http://host:port"
        + " and call /gateway/NAME/v1/…");
    return HttpResponse.of(HttpStatus.NOT_FOUND, MediaType.JSON_UTF_8, body.toString());
  }
}
