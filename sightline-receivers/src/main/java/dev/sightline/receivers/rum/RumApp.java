package dev.sightline.receivers.rum;

import dev.sightline.model.TelemetryBatch;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One web app whose browsers may send RUM events: its name (the spans' service), its public ingest
 * key (not a secret: it is in every page), the origins its pages are served from, and the share of
 * sessions kept.
 *
 * @param origins {@code scheme://host[:port]} as browsers send them in Origin, or {@code *} for any
 * @param sampleRate 0 (no session) to 1 (every session)
 * @param project the project whose data the app's events are ({@code default} when not given)
 */
public record RumApp(String name, String key, List<String> origins, double sampleRate, String project) {
  private static final String NAME_CHARS = "[A-Za-z0-9_.\\-]{1,64}";
  private static final String KEY_CHARS = "[A-Za-z0-9_.\\-]{1,128}";
  /** The rule for project names (as in sightline-access, which the receivers do not depend on). */
  private static final String PROJECT_CHARS = "[a-z0-9][a-z0-9_-]{0,63}";

  public RumApp {
    project = project == null ? TelemetryBatch.DEFAULT_PROJECT : project;
    if (!project.matches(PROJECT_CHARS)) {
      throw new IllegalArgumentException("project=" + project + " of app " + name + " must be a project name: 1 to 64"
          + " characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
    }
    if (name == null || !name.matches(NAME_CHARS)) {
      throw new IllegalArgumentException("the app name '" + name + "' must be 1 to 64 letters, digits, '_', '.' or '-'");
    }
    if (key == null || !key.matches(KEY_CHARS)) {
      throw new IllegalArgumentException("the key '" + key + "' of app " + name
          + " must be 1 to 128 letters, digits, '_', '.' or '-' (e.g. pk_web)");
    }
    if (!(sampleRate >= 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sample=" + sampleRate + " of app " + name
          + " must be from 0 (no session) to 1 (every session)");
    }
    List<String> normalized = new ArrayList<>();
    for (String o : origins == null ? List.<String>of() : origins) {
      normalized.add(normalizeOrigin(o, name));
    }
    origins = List.copyOf(normalized);
  }

  /** An app whose events are data of the default project. */
  public RumApp(String name, String key, List<String> origins, double sampleRate) {
    this(name, key, origins, sampleRate, TelemetryBatch.DEFAULT_PROJECT);
  }

  /**
   * Reads {@code NAME=KEY[,origin=ORIGIN]...[,sample=RATE][,project=PROJECT]}, e.g.
   * {@code web=pk_web,origin=https://chat.example.com,sample=0.5,project=shop}.
   *
   * @throws IllegalArgumentException saying what is wrong and how it should look
   */
  public static RumApp parse(String spec) {
    String s = spec == null ? "" : spec.trim();
    String[] parts = s.split(",");
    int eq = parts[0].indexOf('=');
    if (eq <= 0 || eq == parts[0].length() - 1) {
      throw new IllegalArgumentException("'" + s + "' must start with NAME=KEY, e.g. web=pk_web,origin=https://your.site");
    }
    String name = parts[0].substring(0, eq).trim();
    String key = parts[0].substring(eq + 1).trim();
    List<String> origins = new ArrayList<>();
    double sample = 1.0;
    String project = null;
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      if (p.startsWith("origin=")) {
        origins.add(p.substring("origin=".length()).trim());
      } else if (p.startsWith("sample=")) {
        String v = p.substring("sample=".length()).trim();
        try {
          sample = Double.parseDouble(v);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("sample=" + v + " of app " + name + " must be a number from 0 to 1");
        }
      } else if (p.startsWith("project=")) {
        project = p.substring("project=".length()).trim();
      } else {
        throw new IllegalArgumentException("'" + p + "' in '" + s + "' is none of origin=ORIGIN, sample=RATE,"
            + " project=PROJECT");
      }
    }
    return new RumApp(name, key, origins, sample, project);
  }

  /** Whether a page served from {@code origin} (the Origin header as sent) may send events. */
  public boolean allowsOrigin(String origin) {
    if (origins.contains("*")) {
      return true;
    }
    if (origin == null) {
      return false;
    }
    String o = canonical(origin.trim());
    return o != null && origins.contains(o);
  }

  private static String normalizeOrigin(String origin, String app) {
    String o = origin == null ? "" : origin.trim();
    if (o.equals("*")) {
      return o;
    }
    if (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    String c = canonical(o);
    if (c == null) {
      throw new IllegalArgumentException("origin=" + origin + " of app " + app
          + " must be scheme://host[:port] as the browser sends it (e.g. https://chat.example.com or"
          + " http://127.0.0.1:8080), without a path, or * for any origin");
    }
    return c;
  }

  /** scheme://host[:port], lower case, the scheme's default port dropped; null when not an origin. */
  static String canonical(String origin) {
    try {
      URI u = new URI(origin);
      String scheme = u.getScheme();
      if (scheme == null || u.getHost() == null || u.getRawPath() != null && !u.getRawPath().isEmpty()
          || u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
        return null;
      }
      scheme = scheme.toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        return null;
      }
      int port = u.getPort();
      boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
      return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    } catch (URISyntaxException e) {
      return null;
    }
  }
}
