package dev.sightline.scrape;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One thing Sightline reads metrics from on a schedule: a Prometheus/OpenMetrics page, an Ollama
 * server (its base URL), or the local {@code nvidia-smi} command. The name becomes the points' service.
 *
 * @param url for PROMETHEUS the page's http(s) URL; for OLLAMA the base URL (e.g.
 *     {@code http://127.0.0.1:11434}); for NVIDIA_SMI a {@code file:} URI of the executable or a
 *     relative URI holding a plain command name ({@code nvidia-smi}) looked up on PATH
 * @param timeout how long one scrape may take; at most the interval
 */
public record ScrapeTarget(String name, Kind kind, URI url, Duration interval, Duration timeout) {

  /** What is read, which decides how. */
  public enum Kind {
    PROMETHEUS, OLLAMA, NVIDIA_SMI;

    /** The lower-case word used in health and config ({@code prometheus}, {@code ollama}, {@code nvidia-smi}). */
    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  public static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MAX_INTERVAL = Duration.ofHours(1);
  public static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);
  /** The name, and so the service, of the collector {@link #nvidiaSmi(Duration)} makes. */
  public static final String NVIDIA_SMI_NAME = "nvidia-smi";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern COMMAND = Pattern.compile("[A-Za-z0-9_.+-]{1,255}");
  private static final Pattern INTERVAL = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

  /**
   * Checks the parts are present and coherent. The 1 s .. 1 h bounds on the interval are a rule for
   * configuration and live in {@link #parse}; here any positive interval is accepted (tests scrape
   * every 200 ms).
   */
  public ScrapeTarget {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(timeout, "timeout");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("target name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 _ . -");
    }
    if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("target " + name + ": interval and timeout must be positive");
    }
    if (timeout.compareTo(interval) > 0) {
      throw new IllegalArgumentException("target " + name + ": timeout " + timeout.toMillis()
          + " ms is longer than the interval " + interval.toMillis() + " ms");
    }
  }

  /**
   * For an NVIDIA_SMI target, the executable it runs: its {@code file:} path or path, or its command
   * name looked up on PATH; empty when there is none (or for another kind).
   */
  public java.util.Optional<Path> executable() {
    if (kind != Kind.NVIDIA_SMI) {
      return java.util.Optional.empty();
    }
    try {
      boolean file = "file".equalsIgnoreCase(url.getScheme());
      String path = url.getPath();
      if (path == null || path.isEmpty()) {
        return java.util.Optional.empty();
      }
      if (file || path.contains("/")) {
        Path p = file ? Path.of(url) : Path.of(path);
        return java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)
            ? java.util.Optional.of(p) : java.util.Optional.empty();
      }
      String dirs = System.getenv("PATH");
      if (dirs == null) {
        return java.util.Optional.empty();
      }
      for (String dir : dirs.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          Path p = Path.of(dir, path);
          if (java.nio.file.Files.isRegularFile(p) && java.nio.file.Files.isExecutable(p)) {
            return java.util.Optional.of(p);
          }
        }
      }
      return java.util.Optional.empty();
    } catch (IllegalArgumentException | SecurityException e) { // a bad path (InvalidPathException) included
      return java.util.Optional.empty();
    }
  }

  /** The timeout a target gets when none is given: the interval, but no more than 10 s. */
  public static Duration defaultTimeout(Duration interval) {
    return interval.compareTo(MAX_TIMEOUT) < 0 ? interval : MAX_TIMEOUT;
  }

  /** The built-in GPU collector: {@code nvidia-smi} looked up on PATH, service {@code nvidia-smi}. */
  public static ScrapeTarget nvidiaSmi(Duration interval) {
    return new ScrapeTarget(NVIDIA_SMI_NAME, Kind.NVIDIA_SMI, URI.create(NVIDIA_SMI_NAME), interval,
        defaultTimeout(interval));
  }

  /**
   * Reads {@code name=url[,interval]} (interval like {@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h};
   * {@code defaultInterval} when absent). For NVIDIA_SMI the url is an absolute path, a {@code file:}
   * URI or a command name on PATH. The timeout is the interval, at most 10 s.
   *
   * @throws IllegalArgumentException with a message that quotes the spec and says how to write it
   */
  public static ScrapeTarget parse(String spec, Kind kind, Duration defaultInterval) {
    Objects.requireNonNull(kind, "kind");
    if (spec == null || spec.isBlank()) {
      throw bad(spec, kind, "it is empty");
    }
    String s = spec.strip();
    int eq = s.indexOf('=');
    if (eq < 0) {
      throw bad(spec, kind, "there is no '=' between the name and the " + what(kind));
    }
    String name = s.substring(0, eq).strip();
    if (!NAME.matcher(name).matches()) {
      throw bad(spec, kind, "the name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 _ . - (it becomes the service)");
    }
    String rest = s.substring(eq + 1).strip();
    Duration interval = defaultInterval;
    int comma = rest.lastIndexOf(',');
    if (comma >= 0) {
      interval = interval(spec, kind, rest.substring(comma + 1).strip());
      rest = rest.substring(0, comma).strip();
    }
    if (interval == null) {
      throw bad(spec, kind, "no interval was given and there is no default");
    }
    if (interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(MAX_INTERVAL) > 0) {
      throw bad(spec, kind, "the interval " + interval.toMillis() + " ms is outside 1s .. 1h");
    }
    if (rest.isEmpty()) {
      throw bad(spec, kind, "the " + what(kind) + " after '=' is empty");
    }
    URI url = kind == Kind.NVIDIA_SMI ? executable(spec, kind, rest) : httpUrl(spec, kind, rest);
    return new ScrapeTarget(name, kind, url, interval, defaultTimeout(interval));
  }

  private static Duration interval(String spec, Kind kind, String text) {
    Matcher m = INTERVAL.matcher(text);
    if (!m.matches()) {
      throw bad(spec, kind, "the interval '" + text + "' is not a whole number followed by ms, s, m or h");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }

  private static URI httpUrl(String spec, Kind kind, String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw bad(spec, kind, "the URL '" + text + "' must start with http:// or https://");
    }
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      throw bad(spec, kind, "the URL '" + text + "' is not a valid URL (" + e.getReason() + ")");
    }
    if (url.getHost() == null || url.getHost().isEmpty()) {
      throw bad(spec, kind, "the URL '" + text + "' has no host");
    }
    return url;
  }

  private static URI executable(String spec, Kind kind, String text) {
    if (text.startsWith("file:")) {
      try {
        URI u = new URI(text);
        if (u.getPath() == null || !u.getPath().startsWith("/")) {
          throw bad(spec, kind, "the file URI '" + text + "' needs an absolute path");
        }
        return u;
      } catch (URISyntaxException e) {
        throw bad(spec, kind, "the file URI '" + text + "' is not valid (" + e.getReason() + ")");
      }
    }
    if (text.startsWith("/")) {
      return Path.of(text).toUri();
    }
    if (COMMAND.matcher(text).matches()) {
      try {
        return new URI(null, null, text, null);
      } catch (URISyntaxException e) {
        throw bad(spec, kind, "the command '" + text + "' is not a valid name");
      }
    }
    throw bad(spec, kind, "'" + text + "' is neither an absolute path nor a command name");
  }

  private static String what(Kind kind) {
    return kind == Kind.NVIDIA_SMI ? "executable" : "URL";
  }

  private static IllegalArgumentException bad(String spec, Kind kind, String problem) {
    String example = switch (kind) {
      case PROMETHEUS -> "vllm=http://127.0.0.1:8000/metrics,5s";
      case OLLAMA -> "ollama=http://127.0.0.1:11434,10s";
      case NVIDIA_SMI -> "gpu=/usr/bin/nvidia-smi,5s";
    };
    String form = kind == Kind.NVIDIA_SMI ? "name=executable[,interval]" : "name=url[,interval]";
    return new IllegalArgumentException("scrape target '" + spec + "': " + problem + "; write " + form
        + ", e.g. " + example);
  }
}
