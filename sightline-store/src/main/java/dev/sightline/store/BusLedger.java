package dev.sightline.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The ingest bus positions of each {@link WriterLane}, in the {@code bus_positions} table and in
 * memory. Each lane stores its positions in its own transaction, beside its share of the rows, so a
 * write whose lanes do not all commit is still exact: a lane that committed has its share and its
 * positions, a lane that failed has neither, and a replay re-stores only the failed lane's share.
 * The in-memory copy is authoritative while the store is open (all writes hold the store's lock).
 */
final class BusLedger {
  /** One partition read by one consumer group. */
  record Key(String group, String topic, int partition) {}

  private final List<Map<Key, Long>> lanes = new ArrayList<>();

  BusLedger(int laneCount) {
    for (int i = 0; i < laneCount; i++) {
      lanes.add(new HashMap<>());
    }
  }

  /**
   * Reads the stored positions. A database written with another number of lanes gives every lane
   * the lowest position any lane had, and is rewritten so (the lanes' shares no longer match: only
   * after a write whose lanes did not all commit can a replay then store a committed lane's share
   * again).
   */
  void load(Connection c) throws SQLException {
    Map<Integer, Map<Key, Long>> stored = new TreeMap<>();
    boolean sameLanes = true;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT grp, topic, part, lane, next_offset, lanes FROM bus_positions")) {
      while (rs.next()) {
        stored.computeIfAbsent(rs.getInt(4), l -> new HashMap<>())
            .put(new Key(rs.getString(1), rs.getString(2), rs.getInt(3)), rs.getLong(5));
        sameLanes &= rs.getInt(6) == lanes.size();
      }
    }
    lanes.forEach(Map::clear);
    if (sameLanes) {
      stored.forEach((lane, positions) -> lanes.get(lane).putAll(positions));
      return;
    }
    Map<Key, Long> lowest = lowest(new ArrayList<>(stored.values()));
    lanes.forEach(l -> l.putAll(lowest));
    // rewritten at once for this lane count, so that no row of the old lanes lingers below the new ones
    Tx.begin(c);
    try {
      try (Statement s = c.createStatement()) {
        s.execute("DELETE FROM bus_positions");
      }
      for (int lane = 0; lane < lanes.size(); lane++) {
        save(c, lane, lowest);
      }
      Tx.commit(c);
    } catch (SQLException | RuntimeException e) {
      Tx.rollbackAfter(c, e);
      throw e;
    }
  }

  /** Whether the message at {@code origin} is already stored in this lane. */
  boolean stored(int lane, String group, BusPosition origin) {
    Long next = lanes.get(lane).get(new Key(group, origin.topic(), origin.partition()));
    return next != null && origin.offset() < next;
  }

  /** The lane's positions that {@code read} moves forward (a position never goes back). */
  Map<Key, Long> advances(int lane, BusRead read) {
    Map<Key, Long> out = new HashMap<>();
    for (BusPosition p : read.next()) {
      Key k = new Key(read.group(), p.topic(), p.partition());
      Long now = lanes.get(lane).get(k);
      if (now == null || p.offset() > now) {
        out.merge(k, p.offset(), Math::max);
      }
    }
    return out;
  }

  /** Writes the lane's new positions inside its open transaction. */
  void save(Connection c, int lane, Map<Key, Long> advances) throws SQLException {
    if (advances.isEmpty()) {
      return;
    }
    // no key on the table (a few rows): DuckDB's unique indexes refuse a delete and re-insert of one
    // key in a transaction, which is all an upsert of a position needs
    try (PreparedStatement del = c.prepareStatement(
            "DELETE FROM bus_positions WHERE grp = ? AND topic = ? AND part = ? AND lane = ?");
        PreparedStatement ins = c.prepareStatement(
            "INSERT INTO bus_positions (grp, topic, part, lane, next_offset, lanes) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<Key, Long> e : advances.entrySet()) {
        Key k = e.getKey();
        del.setString(1, k.group());
        del.setString(2, k.topic());
        del.setInt(3, k.partition());
        del.setInt(4, lane);
        del.executeUpdate();
        ins.setString(1, k.group());
        ins.setString(2, k.topic());
        ins.setInt(3, k.partition());
        ins.setInt(4, lane);
        ins.setLong(5, e.getValue());
        ins.setInt(6, lanes.size());
        ins.executeUpdate();
      }
    }
  }

  /** Takes the lane's new positions into memory once its transaction has committed. */
  void committed(int lane, Map<Key, Long> advances) {
    advances.forEach((k, v) -> lanes.get(lane).merge(k, v, Math::max));
  }

  /**
   * The group's positions: per partition the lowest over the lanes (0 where a lane has none yet,
   * which only a lane's failed first commit leaves), so that every lane's unstored messages are read.
   */
  List<BusPosition> positions(String group) {
    Set<Key> keys = new HashSet<>();
    lanes.forEach(l -> l.keySet().stream().filter(k -> k.group().equals(group)).forEach(keys::add));
    List<BusPosition> out = new ArrayList<>();
    for (Key k : keys) {
      long min = Long.MAX_VALUE;
      for (Map<Key, Long> l : lanes) {
        min = Math.min(min, l.getOrDefault(k, 0L));
      }
      out.add(new BusPosition(k.topic(), k.partition(), min));
    }
    out.sort(Comparator.comparing(BusPosition::topic).thenComparingInt(BusPosition::partition));
    return out;
  }

  private static Map<Key, Long> lowest(List<Map<Key, Long>> stored) {
    Set<Key> keys = new HashSet<>();
    stored.forEach(m -> keys.addAll(m.keySet()));
    Map<Key, Long> out = new HashMap<>();
    for (Key k : keys) {
      out.put(k, stored.stream().mapToLong(m -> m.getOrDefault(k, 0L)).min().orElse(0L));
    }
    return out;
  }
}
