package dev.sightline.alerts.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where notifications go: a named http(s) URL, the body format it expects, and extra headers
 * (for example an Authorization header). Build one from a {@code name=url[,format]} spec with
 * {@link #parse(String)}, which explains what is wrong instead of throwing.
 */
public record WebhookTarget(String name, URI url, Format format, Map<String, String> headers) {

  /** The body format the receiver expects. */
  public enum Format {
    /** Sightline's own JSON: {@code {"version":"1","status":...,"alerts":[...],"sentAt":...}}. */
    GENERIC_JSON,
    /** Slack's incoming-webhook body: {@code {"text":...,"blocks":[...]}}. */
    SLACK
  }

  /** The result of {@link #parse(String)}: a target, or the reason there is none. */
  public record Parsed(WebhookTarget target, String error) {
    public boolean ok() {
      return target != null;
    }
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern WORD = Pattern.compile("[A-Za-z_-]+");
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  // java.net.http refuses to let callers set these; say so when the target is made, not at send time.
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("connection", "content-length", "expect", "host", "upgrade", "content-type");

  /** Checks the fields; throws IllegalArgumentException with the reason. Use {@link #parse} for user input. */
  public WebhookTarget {
    String problem = problem(name, url, format, headers);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** A target with the given fields, or the reason they do not make one. Never throws. */
  public static Parsed of(String name, String url, Format format, Map<String, String> headers) {
    URI uri;
    try {
      uri = url == null ? null : new URI(url.strip());
    } catch (URISyntaxException e) {
      return new Parsed(null, "webhook '" + name + "': URL '" + url + "' is not a valid URL (" + e.getReason() + ")");
    }
    String problem = problem(name, uri, format, headers);
    return problem != null ? new Parsed(null, problem) : new Parsed(new WebhookTarget(name, uri, format, headers), null);
  }

  /**
   * Parses {@code name=url[,format]}, format being {@code generic} (the default; also {@code json},
   * {@code generic_json}) or {@code slack}. Never throws.
   */
  public static Parsed parse(String spec) {
    if (spec == null || spec.isBlank()) {
      return new Parsed(null, "webhook spec is empty; expected name=url[,format], e.g. ops=https://hooks.example.com/x,slack");
    }
    String s = spec.strip();
    int eq = s.indexOf('=');
    if (eq < 0) {
      return new Parsed(null, "webhook spec '" + s + "' has no '='; expected name=url[,format]");
    }
    String name = s.substring(0, eq).strip();
    String rest = s.substring(eq + 1).strip();
    Format format = Format.GENERIC_JSON;
    int comma = rest.lastIndexOf(',');
    // A URL may itself hold commas (in its query); only a trailing plain word is taken as the format.
    if (comma >= 0 && WORD.matcher(rest.substring(comma + 1).strip()).matches()) {
      String word = rest.substring(comma + 1).strip();
      format = formatOf(word);
      if (format == null) {
        return new Parsed(null, "webhook '" + name + "': unknown format '" + word + "'; use generic or slack");
      }
      rest = rest.substring(0, comma).strip();
    }
    return of(name, rest, format, Map.of());
  }

  private static Format formatOf(String word) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "generic", "json", "generic_json", "generic-json" -> Format.GENERIC_JSON;
      case "slack" -> Format.SLACK;
      default -> null;
    };
  }

  private static String problem(String name, URI url, Format format, Map<String, String> headers) {
    if (name == null || !NAME.matcher(name).matches()) {
      return "webhook name '" + name + "' must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit";
    }
    if (url == null) {
      return "webhook '" + name + "' has no URL";
    }
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return "webhook '" + name + "': URL '" + url + "' must start with http:// or https://";
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      return "webhook '" + name + "': URL '" + url + "' has no host";
    }
    if (format == null) {
      return "webhook '" + name + "' has no format; use GENERIC_JSON or SLACK";
    }
    if (headers != null) {
      for (Map.Entry<String, String> h : headers.entrySet()) {
        String key = h.getKey();
        if (key == null || !HEADER_NAME.matcher(key).matches()) {
          return "webhook '" + name + "': header name '" + key + "' is not a valid HTTP header name";
        }
        if (RESTRICTED_HEADERS.contains(key.toLowerCase(Locale.ROOT))) {
          return "webhook '" + name + "': header '" + key + "' is set by Sightline and cannot be overridden";
        }
        String value = h.getValue();
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
          return "webhook '" + name + "': header '" + key + "' needs a one-line value";
        }
      }
    }
    return null;
  }

  /** The URL without its path and query, which often hold the webhook's secret; for logs and the UI. */
  public String safeUrl() {
    return url.getScheme() + "://" + url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "") + "/…";
  }

  /** Without the URL's path and the header values, which hold secrets. */
  @Override
  public String toString() {
    return "WebhookTarget[" + name + " " + safeUrl() + " " + format + " headers=" + headers.keySet() + "]";
  }
}
