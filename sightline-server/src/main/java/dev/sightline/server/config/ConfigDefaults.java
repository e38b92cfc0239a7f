package dev.sightline.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Supplies an option's value when it is not on the command line: first the environment variable
 * {@code SIGHTLINE_<OPTION>} (e.g. {@code --http-port} → {@code SIGHTLINE_HTTP_PORT}), then the
 * config file ({@code key = value} lines, keys as the long option without dashes, e.g.
 * {@code http-port = 7700}), then the option's own default.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
  private final Map<String, String> env;
  private final Properties file;
  private final Path filePath;

  public ConfigDefaults(Map<String, String> env, Path configFile) {
    this.env = env;
    this.filePath = configFile;
    // a key on several lines keeps every value, one per line (repeatable options such as alert-rule)
    this.file = new Properties() {
      @Override
      public synchronized Object put(Object key, Object value) {
        Object old = get(key);
        return super.put(key, old == null ? value : old + "\n" + value);
      }
    };
    if (configFile != null) {
      if (!Files.isRegularFile(configFile)) {
        throw new ConfigException("config file " + configFile + " does not exist (given by --config or SIGHTLINE_CONFIG)");
      }
      try (Reader r = Files.newBufferedReader(configFile)) {
        file.load(r);
      } catch (IOException | IllegalArgumentException e) {
        throw new ConfigException("cannot read config file " + configFile + ": " + e.getMessage());
      }
    }
  }

  /** The config file named by {@code --config X} / {@code --config=X} in args, else SIGHTLINE_CONFIG. */
  public static Path configFileFrom(String[] args, Map<String, String> env) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config") && i + 1 < args.length) {
        return Path.of(args[i + 1]);
      }
      if (args[i].startsWith("--config=")) {
        return Path.of(args[i].substring("--config=".length()));
      }
    }
    String e = env.get("SIGHTLINE_CONFIG");
    return e == null || e.isBlank() ? null : Path.of(e);
  }

  public static String envName(String longOption) {
    return "SIGHTLINE_" + longOption.replaceFirst("^--", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || option.longestName().equals("--config")) {
      return null;
    }
    String name = option.longestName();
    String fromEnv = env.get(envName(name));
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.trim();
    }
    String key = name.replaceFirst("^--", "");
    String fromFile = file.getProperty(key);
    if (fromFile != null) {
      return fromFile.trim();
    }
    return option.defaultValue();
  }

  /** Keys in the config file that no option knows: a typo should not pass silently. */
  public void checkKnownKeys(java.util.Set<String> knownKeys) {
    for (String k : file.stringPropertyNames()) {
      if (!knownKeys.contains(k)) {
        throw new ConfigException("unknown key '" + k + "' in config file " + filePath + "; known keys: "
            + String.join(", ", new java.util.TreeSet<>(knownKeys)));
      }
    }
  }
}
