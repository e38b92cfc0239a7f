package dev.sightline.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The gateway's settings, validated once at start-up.
 *
 * @param openaiUpstream where {@code /gateway/openai/…} goes; default {@code https://api.openai.com}
 * @param namedRoutes OpenAI-compatible upstreams served at {@code /gateway/{name}/…} (vLLM, TGI,
 *     llama.cpp, Ollama's {@code /v1}…)
 * @param connectTimeout how long to wait for a TCP (and TLS) connection to an upstream: past it the
 *     client gets a 502
 * @param responseTimeout how long to wait for an upstream's response headers once the request is
 *     sent: past it the client gets a 504. A stream that has started is never cut by it.
 * @param capture what is kept of each call, on every route that {@code routeCapture} does not name
 * @param anthropicUpstream where {@code /gateway/anthropic/…} goes; default {@code https://api.anthropic.com}
 * @param ollamaUpstream where {@code /gateway/ollama/…} goes; default {@code http://127.0.0.1:11434}
 * @param bedrockRegion the AWS region the gateway signs Bedrock requests for; null: {@code AWS_REGION},
 *     else {@code AWS_DEFAULT_REGION}, else {@code us-east-1} (see {@link #bedrockSigningRegion()})
 * @param bedrockUpstream where {@code /gateway/bedrock/…} goes; null: the region's public endpoint
 *     {@code https://bedrock-runtime.{region}.amazonaws.com} (see {@link #bedrockEndpoint()})
 * @param routeCapture capture modes for single routes by name ({@code openai}, {@code bedrock},
 *     a named route…), overriding {@code capture}
 */
public record GatewayConfig(
    URI openaiUpstream,
    Map<String, URI> namedRoutes,
    Duration connectTimeout,
    Duration responseTimeout,
    CaptureMode capture,
    URI anthropicUpstream,
    URI ollamaUpstream,
    String bedrockRegion,
    URI bedrockUpstream,
    Map<String, CaptureMode> routeCapture) {

  public static final URI OPENAI_DEFAULT = URI.create("https://api.openai.com");
  public static final URI ANTHROPIC_DEFAULT = URI.create("https://api.anthropic.com");
  public static final URI OLLAMA_DEFAULT = URI.create("http://127.0.0.1:11434");
  public static final String BEDROCK_REGION_DEFAULT = "us-east-1";
  public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
  public static final Duration RESPONSE_TIMEOUT_DEFAULT = Duration.ofMinutes(10);

  /** Names taken by the built-in routes. */
  static final Set<String> RESERVED = Set.of("openai", "anthropic", "ollama", "bedrock");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-\\d+");

  public GatewayConfig {
    openaiUpstream = openaiUpstream == null ? OPENAI_DEFAULT : checkUpstream("openai", openaiUpstream);
    anthropicUpstream = anthropicUpstream == null ? ANTHROPIC_DEFAULT
        : checkUpstream("anthropic", anthropicUpstream);
    ollamaUpstream = ollamaUpstream == null ? OLLAMA_DEFAULT : checkUpstream("ollama", ollamaUpstream);
    bedrockUpstream = bedrockUpstream == null ? null : checkUpstream("bedrock", bedrockUpstream);
    if (bedrockRegion != null) {
      bedrockRegion = bedrockRegion.trim().toLowerCase(Locale.ROOT);
      if (!REGION.matcher(bedrockRegion).matches()) {
        throw new IllegalArgumentException("gateway Bedrock region '" + bedrockRegion
            + "' is not an AWS region name; use one like us-east-1 or eu-west-3 (--gateway-bedrock-region)");
      }
    }
    Map<String, URI> routes = new LinkedHashMap<>();
    if (namedRoutes != null) {
      for (Map.Entry<String, URI> e : namedRoutes.entrySet()) {
        String name = e.getKey() == null ? "" : e.getKey().toLowerCase(Locale.ROOT);
        if (!NAME.matcher(name).matches()) {
          throw new IllegalArgumentException("gateway route name '" + e.getKey()
              + "' is not usable: use lower-case letters, digits, '-' or '_' (e.g. --gateway-route vllm=http://127.0.0.1:8000)");
        }
        if (RESERVED.contains(name)) {
          throw new IllegalArgumentException("gateway route name '" + name + "' is reserved for the built-in "
              + name + " route; pick another name (e.g. my-" + name + ")");
        }
        routes.put(name, checkUpstream(name, e.getValue()));
      }
    }
    namedRoutes = Map.copyOf(routes);
    connectTimeout = positive("connect timeout", connectTimeout, CONNECT_TIMEOUT_DEFAULT);
    responseTimeout = positive("response timeout", responseTimeout, RESPONSE_TIMEOUT_DEFAULT);
    capture = capture == null ? CaptureMode.METADATA : capture;
    Map<String, CaptureMode> perRoute = new LinkedHashMap<>();
    if (routeCapture != null) {
      for (Map.Entry<String, CaptureMode> e : routeCapture.entrySet()) {
        String name = e.getKey() == null ? "" : e.getKey().trim().toLowerCase(Locale.ROOT);
        if (!RESERVED.contains(name) && !namedRoutes.containsKey(name)) {
          throw new IllegalArgumentException("gateway capture is set for route '" + e.getKey()
              + "', which does not exist; routes: " + RESERVED.stream().sorted().toList()
              + (namedRoutes.isEmpty() ? "" : " and " + namedRoutes.keySet())
              + " (e.g. --gateway-route-capture openai=on)");
        }
        if (e.getValue() == null) {
          throw new IllegalArgumentException("gateway capture for route '" + name + "' must be on, masked, metadata or off");
        }
        perRoute.put(name, e.getValue());
      }
    }
    routeCapture = Map.copyOf(perRoute);
  }

  /** The settings with the Anthropic, Ollama and Bedrock routes at their defaults. */
  public GatewayConfig(URI openaiUpstream, Map<String, URI> namedRoutes, Duration connectTimeout,
      Duration responseTimeout, CaptureMode capture) {
    this(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, capture, null, null, null, null, null);
  }

  /** The public provider endpoints, a local Ollama, no named routes, default timeouts, metadata-only capture. */
  public static GatewayConfig defaults() {
    return new GatewayConfig(null, Map.of(), null, null, null);
  }

  /** What is kept of the calls on route {@code name}: its own mode if set, else the gateway-wide one. */
  public CaptureMode captureFor(String name) {
    return routeCapture.getOrDefault(name, capture);
  }

  /** The region Bedrock requests are signed for: the configured one, else {@code AWS_REGION}, {@code AWS_DEFAULT_REGION}, {@code us-east-1}. */
  public String bedrockSigningRegion() {
    if (bedrockRegion != null) {
      return bedrockRegion;
    }
    for (String env : new String[] {"AWS_REGION", "AWS_DEFAULT_REGION"}) {
      String v = System.getenv(env);
      if (v != null && REGION.matcher(v.trim()).matches()) {
        return v.trim();
      }
    }
    return BEDROCK_REGION_DEFAULT;
  }

  /** Where Bedrock requests go: the configured upstream, else the signing region's public runtime endpoint. */
  public URI bedrockEndpoint() {
    return bedrockUpstream != null ? bedrockUpstream
        : URI.create("https://bedrock-runtime." + bedrockSigningRegion() + ".amazonaws.com");
  }

  public GatewayConfig withOpenaiUpstream(URI upstream) {
    return new GatewayConfig(upstream, namedRoutes, connectTimeout, responseTimeout, capture, anthropicUpstream,
        ollamaUpstream, bedrockRegion, bedrockUpstream, routeCapture);
  }

  public GatewayConfig withAnthropicUpstream(URI upstream) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, capture, upstream,
        ollamaUpstream, bedrockRegion, bedrockUpstream, routeCapture);
  }

  public GatewayConfig withOllamaUpstream(URI upstream) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, capture, anthropicUpstream,
        upstream, bedrockRegion, bedrockUpstream, routeCapture);
  }

  /** Bedrock's signing region (null: from the environment) and upstream (null: the region's public endpoint). */
  public GatewayConfig withBedrock(String region, URI upstream) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, capture, anthropicUpstream,
        ollamaUpstream, region, upstream, routeCapture);
  }

  public GatewayConfig withRoute(String name, URI upstream) {
    Map<String, URI> routes = new LinkedHashMap<>(namedRoutes);
    routes.put(name, upstream);
    return new GatewayConfig(openaiUpstream, routes, connectTimeout, responseTimeout, capture, anthropicUpstream,
        ollamaUpstream, bedrockRegion, bedrockUpstream, routeCapture);
  }

  public GatewayConfig withTimeouts(Duration connect, Duration response) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connect, response, capture, anthropicUpstream,
        ollamaUpstream, bedrockRegion, bedrockUpstream, routeCapture);
  }

  public GatewayConfig withCapture(CaptureMode mode) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, mode, anthropicUpstream,
        ollamaUpstream, bedrockRegion, bedrockUpstream, routeCapture);
  }

  /** The settings with route {@code name} capturing in {@code mode}, whatever the gateway-wide mode. */
  public GatewayConfig withRouteCapture(String name, CaptureMode mode) {
    Map<String, CaptureMode> perRoute = new LinkedHashMap<>(routeCapture);
    perRoute.put(name, mode);
    return new GatewayConfig(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, capture, anthropicUpstream,
        ollamaUpstream, bedrockRegion, bedrockUpstream, perRoute);
  }

  private static URI checkUpstream(String name, URI uri) {
    if (uri == null || uri.getScheme() == null || uri.getHost() == null
        || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("gateway upstream for '" + name + "' must be an http:// or https:// URL"
          + " with a host, e.g. http://127.0.0.1:8000 (got " + uri + ")");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("gateway upstream for '" + name + "' must not have a query or fragment: "
          + uri);
    }
    return uri;
  }

  private static Duration positive(String what, Duration d, Duration dflt) {
    if (d == null) {
      return dflt;
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("gateway " + what + " must be positive (got " + d + ")");
    }
    return d;
  }
}
