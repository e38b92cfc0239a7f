package dev.sightline.store.postgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: Debian's binaries, a fresh cluster in a temp directory,
 * listening on 127.0.0.1 on a free port, removed again on {@link #close}.
 */
public final class PostgresServer implements AutoCloseable {
  static final String USER = "sightline";
  private static final String INSTALL_HINT =
      "PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH nor in"
          + " /usr/lib/postgresql/*/bin: run `apt-get install -y postgresql`";
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(60);
  private static final int START_ATTEMPTS = 3;

  private final Path bin;
  private final Path dir;
  private final List<String> runAs;
  private final int port;
  private final Duration startTime;

  private PostgresServer(Path bin, Path dir, List<String> runAs, int port, Duration startTime) {
    this.bin = bin;
    this.dir = dir;
    this.runAs = runAs;
    this.port = port;
    this.startTime = startTime;
  }

  /** Creates a cluster and starts it; throws with a one-line reason when that cannot be done. */
  public static PostgresServer start() throws IOException, InterruptedException {
    long t0 = System.nanoTime();
    Path bin = findBinaries(System.getenv("PATH"), Path.of("/usr/lib/postgresql")).orElseThrow(() -> new IllegalStateException(INSTALL_HINT));
    // PostgreSQL refuses to run as root; under root (CI containers) it runs as Debian's postgres user
    List<String> runAs = isRoot() ? List.of("runuser", "-u", "postgres", "--") : List.of();
    Path dir = Files.createTempDirectory("sightline-pg");
    try {
      if (!runAs.isEmpty()) {
        run(List.of("chown", "postgres:", dir.toString()), List.of());
      }
      Path data = dir.resolve("data");
      // C locale: sorting and text comparison the same on every machine, whatever LANG says.
      // --no-sync only skips initdb's final flush of a cluster that is deleted after the test;
      // the server itself runs with fsync on.
      run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
          "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"), runAs);
      IOException last = null;
      for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
        int port = freePort();
        configure(data, dir, port);
        try {
          run(List.of(bin.resolve("pg_ctl").toString(), "start", "-w", "-t", "60", "-D",
              data.toString(), "-l", dir.resolve("server.log").toString()), runAs);
        } catch (IOException e) {
          // most likely another process took the port between freePort() and the bind
          last = new IOException(e.getMessage() + "; server log: " + logTail(dir), e);
          continue;
        }
        PostgresServer server = new PostgresServer(bin, dir, runAs, port, Duration.ZERO);
        try {
          server.awaitConnection();
        } catch (IOException e) {
          server.close();
          throw e;
        }
        return new PostgresServer(bin, dir, runAs, port, Duration.ofNanos(System.nanoTime() - t0));
      }
      throw last;
    } catch (IOException | RuntimeException | InterruptedException e) {
      try {
        deleteTree(dir);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** PgJDBC URL of the {@code postgres} database, as the cluster's superuser (trust auth). */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=" + USER;
  }

  public int port() {
    return port;
  }

  Path directory() {
    return dir;
  }

  /** From the binary lookup to the first accepted connection. */
  Duration startTime() {
    return startTime;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      run(List.of(bin.resolve("pg_ctl").toString(), "stop", "-m", "fast", "-w", "-D",
          dir.resolve("data").toString()), runAs);
    } finally {
      deleteTree(dir);
    }
  }

  private void awaitConnection() throws IOException {
    // pg_ctl -w has already waited for the postmaster to accept; one connection proves TCP works
    try (var c = DriverManager.getConnection(jdbcUrl())) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new IOException("PostgreSQL started but refuses JDBC on port " + port + ": " + e.getMessage(), e);
    }
  }

  private static void configure(Path data, Path dir, int port) throws IOException {
    // appended on each attempt: the last setting of a name wins.
    // the unix socket lives in the temp dir: /var/run/postgresql may not exist or not be writable
    String settings = """

        # sightline test harness
        listen_addresses = '127.0.0.1'
        port = %d
        unix_socket_directories = '%s'
        fsync = on
        synchronous_commit = on
        max_connections = 50
        """.formatted(port, dir);
    Files.writeString(data.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
  }

  /** The first directory holding initdb, pg_ctl and postgres: PATH, then Debian's, newest first. */
  static Optional<Path> findBinaries(String path, Path debian) {
    List<Path> candidates = new ArrayList<>();
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator)) {
        if (!entry.isEmpty()) {
          candidates.add(Path.of(entry));
        }
      }
    }
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
            .sorted(Comparator.comparingDouble(
                (Path v) -> Double.parseDouble(v.getFileName().toString())).reversed())
            .forEach(v -> candidates.add(v.resolve("bin")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return candidates.stream()
        .filter(d -> Stream.of("initdb", "pg_ctl", "postgres")
            .allMatch(name -> Files.isExecutable(d.resolve(name))))
        .findFirst();
  }

  private static String logTail(Path dir) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve("server.log"), StandardCharsets.UTF_8);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(none)";
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void run(List<String> command, List<String> runAs) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(runAs);
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    // read before waiting: a full pipe would block the child
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException(String.join(" ", command) + " did not finish in " + COMMAND_LIMIT);
    }
    if (process.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " failed (exit " + process.exitValue() + "): "
          + output.strip());
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
