package dev.sightline.evaluators.judge;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

/**
 * Which model judges groundedness and where it is served: any OpenAI-compatible server (OpenAI,
 * vLLM, Ollama's {@code /v1}, llama.cpp…), reached through Sightline's own gateway.
 *
 * @param url the server's base URL as OpenAI clients take it, e.g. {@code http://127.0.0.1:8000/v1};
 *     a URL without a path means {@code /v1} on that host
 * @param model the judge model's name, as the server knows it
 * @param apiKey sent as a bearer token; null for servers that take none. Never logged or shown.
 * @param timeout how long one judgement may take, network and generation together
 */
public record JudgeSettings(URI url, String model, String apiKey, Duration timeout, String sightlineKey) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public JudgeSettings(URI url, String model, String apiKey, Duration timeout) {
    this(url, model, apiKey, timeout, null);
  }

  /**
   * These settings with the key the judge sends Sightline's own gateway as {@code x-sightline-key}
   * (when the server requires keys; it lives in memory only).
   */
  public JudgeSettings withSightlineKey(String key) {
    return new JudgeSettings(url, model, apiKey, timeout, key);
  }

  public JudgeSettings {
    if (url == null || url.getScheme() == null || url.getHost() == null
        || !(url.getScheme().equalsIgnoreCase("http") || url.getScheme().equalsIgnoreCase("https"))) {
      throw new IllegalArgumentException("the judge URL must be an http:// or https:// URL with a host, e.g. "
          + "http://127.0.0.1:8000/v1 (vLLM) or http://127.0.0.1:11434/v1 (Ollama); got " + url);
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null || url.getRawUserInfo() != null) {
      throw new IllegalArgumentException("the judge URL must not have a query, fragment or user info: " + url
          + " (give the API key with --judge-api-key)");
    }
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    while (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    // what OpenAI clients call the base URL ends in /v1 on every common server; a bare host means that
    url = URI.create(url.getScheme().toLowerCase(Locale.ROOT) + "://" + url.getRawAuthority()
        + (path.isEmpty() ? "/v1" : path));
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("the judge needs a model name (--judge-model), e.g. gpt-4o-mini or "
          + "the name your vLLM / Ollama server serves");
    }
    model = model.trim();
    apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.trim();
    timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the judge timeout must be positive, got " + timeout);
    }
  }

  /** Without the API key: settings get logged and printed. */
  @Override
  public String toString() {
    return "JudgeSettings[url=" + url + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "(set)")
        + ", timeout=" + timeout + "]";
  }
}
