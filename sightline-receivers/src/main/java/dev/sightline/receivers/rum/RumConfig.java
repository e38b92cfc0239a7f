package dev.sightline.receivers.rum;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The RUM ingest endpoint's settings: the apps allowed to send (none: RUM is off) and the largest
 * request body accepted.
 */
public record RumConfig(List<RumApp> apps, long maxBodyBytes) {
  public static final long DEFAULT_MAX_BODY_BYTES = 64 * 1024;
  /** Events one request may carry; the agent sends far fewer, so more is a broken or hostile sender. */
  public static final int MAX_EVENTS = 200;

  public RumConfig {
    apps = apps == null ? List.of() : List.copyOf(apps);
    if (maxBodyBytes < 1024 || maxBodyBytes > 16L * 1024 * 1024) {
      throw new IllegalArgumentException("the RUM body limit must be from 1KiB to 16MiB, got " + maxBodyBytes + " bytes");
    }
    Set<String> names = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (RumApp a : apps) {
      if (!names.add(a.name())) {
        throw new IllegalArgumentException("two apps are named '" + a.name() + "'; give each its own name");
      }
      if (!keys.add(a.key())) {
        throw new IllegalArgumentException("two apps use the key '" + a.key() + "'; give each its own key");
      }
    }
  }

  /** RUM off: no app, the default body limit. */
  public static RumConfig off() {
    return new RumConfig(List.of(), DEFAULT_MAX_BODY_BYTES);
  }

  public boolean enabled() {
    return !apps.isEmpty();
  }

  /** The app with this ingest key, or null. */
  public RumApp app(String key) {
    for (RumApp a : apps) {
      if (a.key().equals(key)) {
        return a;
      }
    }
    return null;
  }
}
