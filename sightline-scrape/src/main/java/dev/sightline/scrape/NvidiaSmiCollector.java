package dev.sightline.scrape;

import dev.sightline.model.MetricPoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs {@code nvidia-smi --query-gpu=...} on hosts without a DCGM exporter and reads its CSV. A missing
 * command is reported once and tried again at most every five minutes; a command that hangs is killed.
 */
final class NvidiaSmiCollector implements Collector {

  static final Duration RETRY_MISSING = Duration.ofMinutes(5);
  private static final int MAX_OUTPUT = 1 << 20;

  private final ScrapeTarget target;
  private final Duration retryMissing;
  private long retryAtNanos;
  private boolean missing;
  private volatile Process running;
  private String host;

  NvidiaSmiCollector(ScrapeTarget target) {
    this(target, RETRY_MISSING);
  }

  NvidiaSmiCollector(ScrapeTarget target, Duration retryMissing) {
    this.target = target;
    this.retryMissing = retryMissing;
  }

  static List<String> command(Path exe) {
    return List.of(exe.toString(), "--query-gpu=" + String.join(",", NvidiaSmiCsv.FIELDS),
        "--format=csv,noheader,nounits");
  }

  @Override
  public ScrapeResult collect(long startEpochNanos) throws InterruptedException {
    if (missing && System.nanoTime() - retryAtNanos < 0) {
      return ScrapeResult.notTried();
    }
    Path exe = resolve();
    if (exe == null) {
      return missing(notFound());
    }
    String cmd = exe.getFileName().toString();
    Process p;
    try {
      p = new ProcessBuilder(command(exe)).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      return missing("could not run " + exe + ": " + e.getMessage());
    }
    missing = false;
    running = p;
    try {
      p.getOutputStream().close();
      CompletableFuture<byte[]> out = drain(p.getInputStream());
      CompletableFuture<byte[]> err = drain(p.getErrorStream());
      long deadline = System.nanoTime() + target.timeout().toNanos();
      if (!p.waitFor(target.timeout().toNanos(), TimeUnit.NANOSECONDS)) {
        kill(p);
        return ScrapeResult.failed(cmd + " gave no answer within " + target.timeout().toMillis()
            + " ms; it was stopped");
      }
      byte[] stdout;
      byte[] stderr;
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        stdout = out.get(left, TimeUnit.NANOSECONDS);
        stderr = err.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException e) {
        kill(p); // a child it left behind still holds the output open
        return ScrapeResult.failed(cmd + " did not finish its output within " + target.timeout().toMillis() + " ms");
      }
      if (p.exitValue() != 0) {
        String why = firstLine(stderr);
        if (why.isEmpty()) {
          why = firstLine(stdout);
        }
        return ScrapeResult.failed(cmd + " exited with status " + p.exitValue() + (why.isEmpty() ? "" : ": " + why));
      }
      return read(new String(stdout, StandardCharsets.UTF_8), startEpochNanos);
    } catch (InterruptedException e) {
      kill(p);
      throw e;
    } catch (IOException e) {
      kill(p);
      return ScrapeResult.failed("could not talk to " + cmd + ": " + e.getMessage());
    } finally {
      running = null;
    }
  }

  private ScrapeResult read(String csv, long time) {
    NvidiaSmiCsv.Rows rows = NvidiaSmiCsv.read(NvidiaSmiCsv.FIELDS, csv);
    List<MetricPoint> points = new ArrayList<>();
    String hostname = hostname();
    for (Map<String, String> row : rows.rows()) {
      points.addAll(NvidiaSmiCsv.points(row, target.name(), hostname, time));
    }
    if (rows.errors().isEmpty() && !points.isEmpty()) {
      return ScrapeResult.ok(points);
    }
    String error = rows.rows().isEmpty() && rows.errors().isEmpty()
        ? "nvidia-smi listed no GPUs"
        : rows.errors().size() + " lines of nvidia-smi output could not be read"
            + (rows.errors().isEmpty() ? "" : ": " + rows.errors().get(0));
    List<String> first = rows.errors().subList(0, Math.min(ExpositionScrape.MAX_PAGE_ERRORS, rows.errors().size()));
    return new ScrapeResult(points, !points.isEmpty(), error, first, false);
  }

  private ScrapeResult missing(String why) {
    missing = true;
    retryAtNanos = System.nanoTime() + retryMissing.toNanos();
    return ScrapeResult.failed(why);
  }

  private String notFound() {
    String path = target.url().getPath();
    return isFile()
        ? "nvidia-smi not found at " + path + "; install the NVIDIA driver or remove --nvidia-smi"
        : path + " not found on PATH; install the NVIDIA driver or remove --nvidia-smi";
  }

  private boolean isFile() {
    return "file".equalsIgnoreCase(target.url().getScheme());
  }

  /** The executable to run, or null when there is none. */
  Path resolve() {
    return target.executable().orElse(null);
  }

  private String hostname() {
    if (host == null) {
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (IOException | RuntimeException e) {
        String env = System.getenv("HOSTNAME");
        host = env != null && !env.isBlank() ? env : "localhost";
      }
    }
    return host;
  }

  private static CompletableFuture<byte[]> drain(InputStream in) {
    CompletableFuture<byte[]> f = new CompletableFuture<>();
    Thread.ofVirtual().name("sightline-nvidia-smi-output").start(() -> {
      try (in) {
        byte[] bytes = in.readNBytes(MAX_OUTPUT);
        in.transferTo(OutputStream.nullOutputStream()); // keep the pipe flowing past the cap
        f.complete(bytes);
      } catch (IOException e) {
        f.completeExceptionally(e);
      }
    });
    return f;
  }

  private static String firstLine(byte[] bytes) {
    String s = new String(bytes, StandardCharsets.UTF_8).strip();
    int nl = s.indexOf('\n');
    s = nl >= 0 ? s.substring(0, nl).strip() : s;
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  @Override
  public void close() {
    Process p = running;
    if (p != null) {
      kill(p);
    }
  }
}
