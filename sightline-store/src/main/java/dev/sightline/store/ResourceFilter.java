package dev.sightline.store;

import java.util.regex.Pattern;

/**
 * A resource attribute that some span of a trace must carry with exactly this value, such as
 * {@code k8s.pod.name = chat-7d9f}. Keys are 1 to 128 of {@code A-Z a-z 0-9 _ . -}.
 */
public record ResourceFilter(String key, String value) {
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_.\\-]{1,128}");

  public ResourceFilter {
    checkKey(key);
    if (value == null) {
      throw new IllegalArgumentException("a resource filter needs a value for '" + key + "'");
    }
  }

  /** The key itself, or IllegalArgumentException saying what a resource attribute key may hold. */
  public static String checkKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("a resource attribute key is 1 to 128 characters of A-Z a-z 0-9 _ . -"
          + " (such as k8s.pod.name); got " + (key == null ? "none" : "'" + (key.length() > 200 ? key.substring(0, 200) + "…" : key) + "'"));
    }
    return key;
  }

  /** The DuckDB JSON path of a checked key (bound as a parameter, never spliced into SQL). */
  static String jsonPath(String key) {
    return "$.\"" + checkKey(key) + "\"";
  }
}
