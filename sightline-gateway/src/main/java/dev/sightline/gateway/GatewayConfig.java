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
 * @param capture what is kept of each call
 * @param anthropicUpstream where {@code /gateway/anthropic/…} goes; default {@code https://api.anthropic.com}
 */
public record GatewayConfig(
    URI openaiUpstream,
    Map<String, URI> namedRoutes,
    Duration connectTimeout,
    Duration responseTimeout,
    CaptureMode capture,
    URI anthropicUpstream) {

  public static final URI OPENAI_DEFAULT = URI.create("https://api.openai.com");
  public static final URI ANTHROPIC_DEFAULT = URI.create("https://api.anthropic.com");
  public static final Duration CONNECT_TIMEOUT_DEFAULT = Duration.ofSeconds(10);
  public static final Duration RESPONSE_TIMEOUT_DEFAULT = Duration.ofMinutes(10);

  /** Names taken by built-in routes, now or in later steps of the gateway. */
  static final Set<String> RESERVED = Set.of("openai", "anthropic", "ollama", "bedrock");
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  public GatewayConfig {
    openaiUpstream = openaiUpstream == null ? OPENAI_DEFAULT : checkUpstream("openai", openaiUpstream);
    anthropicUpstream = anthropicUpstream == null ? ANTHROPIC_DEFAULT
        : checkUpstream("anthropic", anthropicUpstream);
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
  }

  /** The settings with the Anthropic route at its default upstream. */
  public GatewayConfig(URI openaiUpstream, Map<String, URI> namedRoutes, Duration connectTimeout,
      Duration responseTimeout, CaptureMode capture) {
    this(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, capture, null);
  }

  /** The public OpenAI and Anthropic endpoints, no named routes, default timeouts, metadata-only capture. */
  public static GatewayConfig defaults() {
    return new GatewayConfig(null, Map.of(), null, null, null, null);
  }

  public GatewayConfig withOpenaiUpstream(URI upstream) {
    return new GatewayConfig(upstream, namedRoutes, connectTimeout, responseTimeout, capture, anthropicUpstream);
  }

  public GatewayConfig withAnthropicUpstream(URI upstream) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, capture, upstream);
  }

  public GatewayConfig withRoute(String name, URI upstream) {
    Map<String, URI> routes = new LinkedHashMap<>(namedRoutes);
    routes.put(name, upstream);
    return new GatewayConfig(openaiUpstream, routes, connectTimeout, responseTimeout, capture, anthropicUpstream);
  }

  public GatewayConfig withTimeouts(Duration connect, Duration response) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connect, response, capture, anthropicUpstream);
  }

  public GatewayConfig withCapture(CaptureMode mode) {
    return new GatewayConfig(openaiUpstream, namedRoutes, connectTimeout, responseTimeout, mode, anthropicUpstream);
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
