package dev.sightline.gateway;

import com.linecorp.armeria.client.WebClient;
import java.net.URI;
import java.time.Duration;

/**
 * One gateway route: {@code /gateway/{name}/…} forwarded to {@code upstream} (its path, if any,
 * prefixed to what follows the route name).
 *
 * @param provider what the calls are recorded as ({@code openai}, {@code anthropic}, {@code ollama},
 *     {@code aws.bedrock}, or the route's name for a self-hosted OpenAI-compatible server: name
 *     routes after the engine, e.g. {@code vllm})
 * @param capture what is kept of this route's calls
 * @param signer re-signs every request for the upstream (Bedrock), or null
 */
record Route(String name, String provider, URI upstream, WebClient client, Duration responseTimeout, Api api,
    CaptureMode capture, BedrockSigner signer) {

  /** The wire protocol a route speaks, which decides what is recorded and how it is read. */
  enum Api { OPENAI, ANTHROPIC, OLLAMA, BEDROCK }

  /** The operation a POST to {@code path} performs on this route, or null for paths passed through unrecorded. */
  Operation operation(String path) {
    return switch (api) {
      case OPENAI -> Operation.of(path);
      case ANTHROPIC -> Operation.ofAnthropic(path);
      case OLLAMA -> Operation.ofOllama(path);
      case BEDROCK -> Operation.ofBedrock(path);
    };
  }

  int port() {
    if (upstream.getPort() > 0) {
      return upstream.getPort();
    }
    return "https".equalsIgnoreCase(upstream.getScheme()) ? 443 : 80;
  }

  /** The upstream's path without a trailing slash ("" for none). */
  String basePath() {
    String p = upstream.getRawPath();
    if (p == null || p.isEmpty() || p.equals("/")) {
      return "";
    }
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  /** How the upstream is named in error messages. */
  String label() {
    return "'" + name + "' at " + upstream;
  }
}
