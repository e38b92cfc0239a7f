package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The memory cap a store is opened with is the one DuckDB applies (the server's --store-memory). */
class OpeningTest {
  @TempDir Path dir;

  @Test
  void aMemoryLimitIsDuckDbsMemoryLimit() throws Exception {
    try (DuckDbStore s = DuckDbStore.open(dir.resolve("capped"), 1, 256L << 20)) {
      assertThat(setting(s.writerForTests(), "memory_limit")).isEqualTo(setting(256L << 20)).contains("256");
    }
  }

  @Test
  void noLimitKeepsDuckDbsDefault() throws Exception {
    try (DuckDbStore s = DuckDbStore.open(dir.resolve("default"), 1, 0);
        Connection plain = DriverManager.getConnection("jdbc:duckdb:")) {
      assertThat(setting(s.writerForTests(), "memory_limit")).isEqualTo(setting(plain, "memory_limit"));
    }
  }

  @Test
  void aNegativeLimitIsRefusedWithItsValue() {
    assertThatThrownBy(() -> DuckDbStore.open(dir.resolve("bad"), 1, -5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-5");
  }

  /** How DuckDB writes {@code bytes} back when it is set as a limit (e.g. "256.0 MiB"). */
  private static String setting(long bytes) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
      s.execute("SET memory_limit = '" + (bytes >> 20) + "MiB'");
      return setting(c, "memory_limit");
    }
  }

  private static String setting(Connection c, String name) throws Exception {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_setting('" + name + "')")) {
      assertThat(rs.next()).isTrue();
      return rs.getString(1);
    }
  }
}
