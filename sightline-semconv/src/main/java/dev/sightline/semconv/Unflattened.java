package dev.sightline.semconv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds the tree behind flattened attribute keys ({@code 0.message.tool_calls.1.tool_call.id}):
 * each dot-separated segment is a map key; numeric segments are read back in numeric order by
 * {@link #indexed}. A key that collides with a value already set is dropped, never thrown on.
 */
final class Unflattened {
  private Unflattened() {}

  @SuppressWarnings("unchecked")
  static void put(Map<String, Object> root, String path, Object value) {
    Map<String, Object> node = root;
    int start = 0;
    while (true) {
      int dot = path.indexOf('.', start);
      if (dot < 0) {
        node.putIfAbsent(path.substring(start), value);
        return;
      }
      String seg = path.substring(start, dot);
      Object child = node.get(seg);
      if (child == null) {
        child = new LinkedHashMap<String, Object>();
        node.put(seg, child);
      } else if (!(child instanceof Map)) {
        return;
      }
      node = (Map<String, Object>) child;
      start = dot + 1;
    }
  }

  static Object get(Object node, String key) {
    return node instanceof Map<?, ?> m ? m.get(key) : null;
  }

  /** The children of {@code node} whose keys are non-negative integers, in numeric order. */
  static List<Object> indexed(Object node) {
    if (!(node instanceof Map<?, ?> m) || m.isEmpty()) {
      return List.of();
    }
    TreeMap<Long, Object> sorted = new TreeMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      String k = String.valueOf(e.getKey());
      if (!k.isEmpty() && k.length() < 10 && k.chars().allMatch(Character::isDigit)) {
        sorted.put(Long.parseLong(k), e.getValue());
      }
    }
    return new ArrayList<>(sorted.values());
  }
}
