package dev.sightline.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

/** Collects a benchmark's result lines, prints them and writes them to bench-results/. */
final class Report {
  private final StringBuilder text = new StringBuilder();
  private final String name;

  Report(String name) {
    this.name = name;
    line("# Sightline benchmark: " + name + " — " + Instant.now());
    line("machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
        + (totalMemory() / (1024 * 1024 * 1024)) + " GiB RAM, " + cpuModel() + ", Java "
        + Runtime.version() + ", " + System.getProperty("os.name") + " " + System.getProperty("os.arch"));
  }

  void line(String s) {
    System.out.println(s);
    text.append(s).append('\n');
  }

  void save() throws IOException {
    Path dir = Path.of("bench-results");
    Files.createDirectories(dir);
    Path f = dir.resolve(name + "-" + Instant.now().toString().replace(':', '-') + ".txt");
    Files.writeString(f, text);
    System.out.println("(written to " + f + ")");
  }

  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  static double[] sorted(double[] values) {
    double[] c = values.clone();
    Arrays.sort(c);
    return c;
  }

  static String mib(long bytes) {
    return String.format("%.0f MiB", bytes / (1024.0 * 1024));
  }

  private static long totalMemory() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (l.startsWith("MemTotal:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static String cpuModel() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          return l.substring(l.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      return "unknown CPU";
    }
    return "unknown CPU";
  }
}
