package dev.sightline.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Sightline server in its own JVM (so its memory is measured alone), on free loopback ports, run
 * with the memory defaults of the {@code sightline} launcher unless the bench's options replace them.
 */
final class ServerProcess implements AutoCloseable {
  /** The launcher's default collector and heap ({@code sightline}; docs/memory.md says why). */
  static final List<String> LAUNCHER_GC = List.of("-XX:+UseG1GC");
  static final List<String> LAUNCHER_HEAP = List.of("-Xms32m", "-Xmx512m");
  /** The launcher's default for glibc's malloc arenas, set in the server's environment. */
  static final String LAUNCHER_MALLOC_ARENA_MAX = "2";

  final Process process;
  final int httpPort;
  final int otlpHttpPort;
  final int otlpGrpcPort;
  final Path log;

  ServerProcess(Path dataDir, Path log, String... jvmArgs) throws Exception {
    this(dataDir, log, List.of(), jvmArgs);
  }

  /** A server started with {@code serverArgs} added to its command line (e.g. gateway upstreams). */
  ServerProcess(Path dataDir, Path log, List<String> serverArgs, String... jvmArgs) throws Exception {
    this.httpPort = freePort();
    this.otlpHttpPort = freePort();
    this.otlpGrpcPort = freePort();
    this.log = log;
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java);
    cmd.addAll(List.of(jvmArgs));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sightline.server.Main", "server",
        "--data-dir", dataDir.toString(), "--http-port", String.valueOf(httpPort),
        "--otlp-http-port", String.valueOf(otlpHttpPort), "--otlp-grpc-port", String.valueOf(otlpGrpcPort)));
    if (!serverArgs.contains("--auth")) {
      cmd.addAll(List.of("--auth", "open")); // benches measure ingest and queries, not keys
    }
    cmd.addAll(serverArgs);
    ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putIfAbsent("MALLOC_ARENA_MAX", LAUNCHER_MALLOC_ARENA_MAX);
    this.process = builder.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("server exited:\n" + Files.readString(log));
      }
      try (Socket s = new Socket("127.0.0.1", httpPort)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("server did not start:\n" + Files.readString(log));
  }

  /**
   * The JVM options the launcher would give a server started with {@code later} in
   * SIGHTLINE_JAVA_OPTS: its collector unless {@code later} picks one, its heap unless {@code later}
   * sizes it, then {@code later}. The same rule as the launcher's, so that the JVM never sees two
   * collectors.
   */
  static List<String> launcherOptions(List<String> later) {
    boolean ownGc = later.stream().anyMatch(o -> o.startsWith("-XX:+Use") && o.endsWith("GC"));
    boolean ownHeap = later.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-Xms")
        || o.startsWith("-XX:MaxRAMPercentage=") || o.startsWith("-XX:MaxRAM=") || o.startsWith("-XX:InitialRAMPercentage="));
    List<String> all = new java.util.ArrayList<>();
    all.add("--enable-native-access=ALL-UNNAMED");
    if (Runtime.version().feature() >= 23) {
      all.add("--sun-misc-unsafe-memory-access=allow"); // as the launcher: Netty's Unsafe use, no warning
    }
    if (!ownGc) {
      all.addAll(LAUNCHER_GC);
    }
    if (!ownHeap) {
      all.addAll(LAUNCHER_HEAP);
    }
    all.addAll(later);
    return all;
  }

  /** Resident set size of the server process, from /proc. */
  long rssBytes() {
    return status("VmRSS:");
  }

  /** Peak resident set size of the server process, from /proc. */
  long peakRssBytes() {
    return status("VmHWM:");
  }

  private long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** CPU time (user + system) used so far by process {@code pid} and its descendants, in nanoseconds, from /proc; -1 if unreadable. */
  static long cpuNanos(long pid) {
    long ticks = ticks(pid);
    if (ticks < 0) {
      return -1;
    }
    for (ProcessHandle h : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
      long t = ticks(h.pid());
      ticks += Math.max(0, t);
    }
    // USER_HZ is 100 on Linux
    return ticks * 10_000_000L;
  }

  private static long ticks(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the command name (field 2) may hold spaces: count fields after its closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
