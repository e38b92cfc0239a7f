package dev.sightline.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/**
 * Reads a DuckDB store's disk usage: file sizes from the file system, blocks from
 * {@code pragma_database_size}, and per table the blocks its segments occupy from
 * {@code pragma_storage_info} ({@code duckdb_tables().estimated_size} is a row estimate, not bytes).
 */
final class DiskUsageReader {
  private DiskUsageReader() {}

  static StoreDiskUsage read(DuckDBConnection c, Path file) throws SQLException {
    long blockSize;
    long totalBlocks;
    long freeBlocks;
    List<String> tables = new ArrayList<>();
    try (Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT block_size, total_blocks, free_blocks FROM pragma_database_size()"
          + " WHERE database_name = current_database()")) {
        rs.next();
        blockSize = rs.getLong(1);
        totalBlocks = rs.getLong(2);
        freeBlocks = rs.getLong(3);
      }
      try (ResultSet rs = s.executeQuery("SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
          + " AND schema_name = 'main' AND NOT temporary ORDER BY table_name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    Map<String, Long> rows = new HashMap<>();
    Map<String, Double> blocks = new HashMap<>();
    if (!tables.isEmpty()) {
      StringBuilder segments = new StringBuilder();
      StringBuilder counts = new StringBuilder();
      for (String t : tables) {
        // table names come from the catalog and are plain identifiers; quoted anyway
        String quoted = "'" + t.replace("'", "''") + "'";
        String ident = "\"" + t.replace("\"", "\"\"") + "\"";
        segments.append(segments.isEmpty() ? "" : " UNION ALL ")
            .append("SELECT ").append(quoted).append(" AS t, block_id AS b FROM pragma_storage_info(").append(quoted)
            .append(") WHERE block_id >= 0 UNION ALL SELECT ").append(quoted)
            .append(", unnest(additional_block_ids) FROM pragma_storage_info(").append(quoted).append(")");
        counts.append(counts.isEmpty() ? "" : " UNION ALL ")
            .append("SELECT ").append(quoted).append(", count(*) FROM ").append(ident);
      }
      try (Statement s = c.createStatement()) {
        try (ResultSet rs = s.executeQuery("WITH owned AS (SELECT DISTINCT t, b FROM (" + segments + ") seg),"
            + " shared AS (SELECT b, count(*) AS k FROM owned GROUP BY b)"
            + " SELECT t, sum(1.0 / k) FROM owned JOIN shared USING (b) GROUP BY t")) {
          while (rs.next()) {
            blocks.put(rs.getString(1), rs.getDouble(2));
          }
        }
        try (ResultSet rs = s.executeQuery(counts.toString())) {
          while (rs.next()) {
            rows.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
    }
    List<StoreDiskUsage.TableUsage> usage = new ArrayList<>();
    for (String t : tables) {
      usage.add(new StoreDiskUsage.TableUsage(t, rows.getOrDefault(t, 0L),
          Math.round(blocks.getOrDefault(t, 0.0) * blockSize)));
    }
    return new StoreDiskUsage(size(file), size(Path.of(file + ".wal")), blockSize, totalBlocks, freeBlocks, usage);
  }

  private static long size(Path p) {
    try {
      return Files.exists(p) ? Files.size(p) : 0;
    } catch (IOException e) {
      return 0; // removed between the check and the read (a checkpoint deletes the WAL)
    }
  }
}
