package dev.sightline.store;

import java.util.List;

/**
 * Disk used by one store: its database file and write-ahead log (bytes on disk), the database's
 * blocks (free blocks are reused by later writes; the file does not shrink), and per table its rows
 * and the bytes of the checkpointed blocks it occupies.
 */
public record StoreDiskUsage(long fileBytes, long walBytes, long blockSize, long totalBlocks, long freeBlocks,
    List<TableUsage> tables) {
  public StoreDiskUsage {
    tables = List.copyOf(tables);
  }

  /**
   * One table: exact row count, and an estimate of its bytes in the database file: the blocks its
   * checkpointed segments use times the block size, a block shared by several tables split evenly
   * between them. Rows written since the last checkpoint live in the WAL and are not counted here.
   */
  public record TableUsage(String table, long rows, long estimatedBytes) {}

  /** Bytes of the file's blocks that no table uses and later writes will fill first. */
  public long freeBytes() {
    return freeBlocks * blockSize;
  }
}
