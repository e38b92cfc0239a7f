package dev.sightline.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the harness looks for PostgreSQL's server binaries. */
class PostgresBinariesTest {
  @TempDir Path root;

  @Test
  void newestDebianVersionWinsWhenPathHasNone() throws IOException {
    Path debian = root.resolve("usr-lib-postgresql");
    for (String version : new String[] {"9.6", "15", "16", "13"}) {
      serverBinaries(debian.resolve(version).resolve("bin"));
    }
    Files.createDirectories(debian.resolve("17").resolve("bin")); // a leftover without binaries
    assertThat(PostgresServer.findBinaries("/nonexistent", debian)).contains(debian.resolve("16").resolve("bin"));
  }

  @Test
  void pathComesBeforeDebianDirectories() throws IOException {
    Path debian = root.resolve("usr-lib-postgresql");
    serverBinaries(debian.resolve("16").resolve("bin"));
    Path onPath = serverBinaries(root.resolve("custom-bin"));
    assertThat(PostgresServer.findBinaries("/nonexistent:" + onPath, debian)).contains(onPath);
  }

  @Test
  void absentWhenNoDirectoryHasAllThree() throws IOException {
    Path partial = Files.createDirectories(root.resolve("partial"));
    executable(partial.resolve("initdb"));
    executable(partial.resolve("pg_ctl"));
    assertThat(PostgresServer.findBinaries(partial.toString(), root.resolve("missing"))).isEmpty();
    assertThat(PostgresServer.findBinaries(null, root.resolve("missing"))).isEmpty();
  }

  private static Path serverBinaries(Path bin) throws IOException {
    Files.createDirectories(bin);
    for (String name : new String[] {"initdb", "pg_ctl", "postgres"}) {
      executable(bin.resolve(name));
    }
    return bin;
  }

  private static void executable(Path file) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }
}
