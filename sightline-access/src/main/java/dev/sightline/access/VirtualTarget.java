package dev.sightline.access;

import java.util.List;
import java.util.Locale;

/**
 * The provider key a gateway virtual key stands for: not the key itself, but the environment
 * variable of the server that holds it, read when a call is relayed (the secret never touches disk).
 *
 * @param provider {@code openai}, {@code anthropic} or {@code ollama}
 * @param keyEnv the environment variable holding the provider key, e.g. {@code OPENAI_API_KEY}
 */
public record VirtualTarget(String provider, String keyEnv) {
  /** The gateway's providers that a virtual key may front. */
  public static final List<String> PROVIDERS = List.of("openai", "anthropic", "ollama");

  public VirtualTarget {
    String p = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
    if (p.isEmpty()) {
      throw new IllegalArgumentException("a virtual key needs its provider (one of " + String.join(", ", PROVIDERS)
          + "), e.g. --provider openai");
    }
    if (!PROVIDERS.contains(p)) {
      throw new IllegalArgumentException("provider '" + provider + "' is not one of " + String.join(", ", PROVIDERS));
    }
    String e = keyEnv == null ? "" : keyEnv.trim();
    if (e.isEmpty()) {
      throw new IllegalArgumentException("a virtual key needs the environment variable that holds the " + p
          + " key on the server, e.g. --provider-key-env " + p.toUpperCase(Locale.ROOT) + "_API_KEY");
    }
    if (!e.matches("[A-Za-z_][A-Za-z0-9_]{0,127}")) {
      throw new IllegalArgumentException("'" + keyEnv + "' is not an environment variable name (letters, digits and"
          + " '_', not starting with a digit): give the variable's name, never the provider key itself");
    }
    provider = p;
    keyEnv = e;
  }
}
