package dev.sightline.server;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Sightline server in a child JVM (what {@code ./sightline server} runs), on free loopback ports,
 * so that a test can kill it with SIGKILL like a crashed machine.
 */
final class NodeProcess implements AutoCloseable {
  final String name;
  final int httpPort;
  final int otlpGrpcPort;
  final int otlpHttpPort;
  final Path log;
  private final List<String> command;
  private Process process;

  private NodeProcess(String name, Path dataDir, Path log, List<String> extraArgs) throws IOException {
    this.name = name;
    this.log = log;
    this.httpPort = freePort();
    this.otlpGrpcPort = freePort();
    this.otlpHttpPort = freePort();
    String java = ProcessHandle.current().info().command().orElse("java");
    command = new ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        Main.class.getName(), "server", "--data-dir", dataDir.toString(), "--auth", "open",
        "--http-port", String.valueOf(httpPort), "--otlp-grpc-port", String.valueOf(otlpGrpcPort),
        "--otlp-http-port", String.valueOf(otlpHttpPort), "--min-free-disk", "0"));
    command.addAll(extraArgs);
  }

  /** Starts a node and waits until its /healthz answers. */
  static NodeProcess start(String name, Path dataDir, Path log, List<String> args) throws Exception {
    NodeProcess n = new NodeProcess(name, dataDir, log, args);
    n.start();
    return n;
  }

  /** Starts (again, after a kill) the same command on the same ports and data directory. */
  void start() throws Exception {
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited at start:\n" + Files.readString(log));
      }
      try {
        HttpResponse<String> r = TestServers.HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + httpPort + "/healthz")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(name + " did not start within 90 s:\n" + Files.readString(log));
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  URI http(String path) {
    return URI.create("http://127.0.0.1:" + httpPort + path);
  }

  URI otlpHttp(String path) {
    return URI.create("http://127.0.0.1:" + otlpHttpPort + path);
  }

  /** A clean stop (SIGTERM: the shutdown hook closes the server). */
  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
