package dev.sightline.store.postgres;

import dev.sightline.store.BusPosition;
import dev.sightline.store.BusRead;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ingest bus positions in {@code bus_positions}: one row per consumer group and partition, the
 * next offset to read. A bus write locks its partitions' rows first (created at 0 when new), in one
 * order on every node so that two writers never wait on each other in a cycle; whoever holds them
 * sees every position committed before, so a writer that replays what another node stored during a
 * rebalance leaves it out.
 */
final class PgBusPositions {
  private PgBusPositions() {}

  /** One partition of one topic, ordered by topic then partition (the lock order). */
  record Part(String topic, int partition) {}

  private static final Comparator<Part> ORDER = Comparator.comparing(Part::topic).thenComparingInt(Part::partition);

  /** The read's new positions, per partition the highest it names, in lock order. */
  static Map<Part, Long> next(BusRead read) {
    Map<Part, Long> out = new TreeMap<>(ORDER);
    for (BusPosition p : read.next()) {
      out.merge(new Part(p.topic(), p.partition()), p.offset(), Math::max);
    }
    return out;
  }

  /** The stored positions of the read's partitions, without locking them (a guess before the transaction). */
  static Map<Part, Long> peek(Connection c, BusRead read) throws SQLException {
    Map<Part, Long> out = new TreeMap<>(ORDER);
    try (PreparedStatement ps = c.prepareStatement("SELECT topic, part, next_offset FROM bus_positions WHERE grp = ?")) {
      ps.setString(1, read.group());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(new Part(rs.getString(1), rs.getInt(2)), rs.getLong(3));
        }
      }
    }
    return out;
  }

  /**
   * Locks the group's rows of {@code parts} until the transaction ends (creating missing ones at 0)
   * and returns their positions: a no-op upsert locks a row, waits for a writer that holds it, and
   * then reads what that writer committed.
   */
  static Map<Part, Long> lock(Connection c, String group, Iterable<Part> parts) throws SQLException {
    Map<Part, Long> out = new TreeMap<>(ORDER);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO bus_positions (grp, topic, part, next_offset)"
        + " VALUES (?, ?, ?, 0) ON CONFLICT (grp, topic, part) DO UPDATE SET next_offset = bus_positions.next_offset"
        + " RETURNING next_offset")) {
      for (Part p : parts) {
        ps.setString(1, group);
        ps.setString(2, p.topic());
        ps.setInt(3, p.partition());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          out.put(p, rs.getLong(1));
        }
      }
    }
    return out;
  }

  /** Whether the message at {@code origin} is below its partition's position in {@code positions}. */
  static boolean stored(Map<Part, Long> positions, BusPosition origin) {
    Long next = positions.get(new Part(origin.topic(), origin.partition()));
    return next != null && origin.offset() < next;
  }

  /** Moves the locked rows forward to {@code next} (never back). */
  static void advance(Connection c, String group, Map<Part, Long> next) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("UPDATE bus_positions SET next_offset = GREATEST(next_offset, ?)"
        + " WHERE grp = ? AND topic = ? AND part = ?")) {
      for (Map.Entry<Part, Long> e : next.entrySet()) {
        ps.setLong(1, e.getValue());
        ps.setString(2, group);
        ps.setString(3, e.getKey().topic());
        ps.setInt(4, e.getKey().partition());
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  /** The group's stored positions by topic and partition. */
  static List<BusPosition> positions(Connection c, String group) throws SQLException {
    List<BusPosition> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT topic, part, next_offset FROM bus_positions"
        + " WHERE grp = ? ORDER BY topic, part")) {
      ps.setString(1, group);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new BusPosition(rs.getString(1), rs.getInt(2), rs.getLong(3)));
        }
      }
    }
    return out;
  }
}
