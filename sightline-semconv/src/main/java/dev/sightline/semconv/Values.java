package dev.sightline.semconv;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lenient reads of attribute values. Instrumentations (and exporters such as Langfuse's) disagree on
 * types: a token count may arrive as a Long, a Double or a numeric String. Every read returns null
 * rather than throwing when the value cannot mean what was asked.
 */
final class Values {
  /** Token counts above this are not plausible for one call and are treated as garbage. */
  static final long MAX_PLAUSIBLE_TOKENS = 1_000_000_000_000L;

  private Values() {}

  static Object first(Map<String, Object> attrs, String... keys) {
    for (String k : keys) {
      Object v = attrs.get(k);
      if (v != null && !(v instanceof String s && s.isBlank())) {
        return v;
      }
    }
    return null;
  }

  /** The first key among {@code keys} whose value is a usable string. */
  static String firstString(Map<String, Object> attrs, String... keys) {
    for (String k : keys) {
      String s = string(attrs.get(k));
      if (s != null) {
        return s;
      }
    }
    return null;
  }

  static String string(Object v) {
    if (v instanceof String s) {
      String t = s.trim();
      return t.isEmpty() ? null : t;
    }
    if (v instanceof Number || v instanceof Boolean) {
      return v.toString();
    }
    return null;
  }

  /** A whole number, from a Long/Integer, an integral Double, or a numeric string; else null. */
  static Long integer(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof Integer i) {
      return (long) i;
    }
    if (v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      return Double.isFinite(d) && d == Math.rint(d) && Math.abs(d) < 9.0e18 ? (long) d : null;
    }
    if (v instanceof String s) {
      String t = s.trim();
      if (t.isEmpty() || t.length() > 24) {
        return null;
      }
      try {
        return Long.parseLong(t);
      } catch (NumberFormatException e) {
        Double d = decimal(t);
        return d == null ? null : integer(d);
      }
    }
    return null;
  }

  static Double decimal(Object v) {
    if (v instanceof Number n) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (v instanceof String s) {
      String t = s.trim();
      if (t.isEmpty() || t.length() > 64) {
        return null;
      }
      try {
        double d = Double.parseDouble(t);
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** An exact decimal, for money: strings keep every digit they were sent with. */
  static BigDecimal money(Object v) {
    try {
      if (v instanceof String s) {
        String t = s.trim();
        return t.isEmpty() || t.length() > 64 ? null : new BigDecimal(t);
      }
      if (v instanceof Long || v instanceof Integer) {
        return BigDecimal.valueOf(((Number) v).longValue());
      }
      if (v instanceof Number n) {
        double d = n.doubleValue();
        return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
      }
    } catch (NumberFormatException e) {
      return null;
    }
    return null;
  }

  static Boolean bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      String t = s.trim().toLowerCase(Locale.ROOT);
      if (t.equals("true")) {
        return Boolean.TRUE;
      }
      if (t.equals("false")) {
        return Boolean.FALSE;
      }
    }
    if (v instanceof Long l && (l == 0 || l == 1)) {
      return l == 1;
    }
    return null;
  }

  /**
   * A list of strings from an array value, a JSON array in a string, or one plain string.
   * Returns null when the value is absent or holds nothing usable.
   */
  static List<String> strings(Object v) {
    if (v == null) {
      return null;
    }
    Object src = v;
    if (v instanceof String s) {
      String t = s.trim();
      if (t.startsWith("[")) {
        Object parsed = Json.parseOrNull(t);
        if (parsed instanceof List<?>) {
          src = parsed;
        }
      }
    }
    List<String> out = new ArrayList<>();
    if (src instanceof List<?> list) {
      for (Object o : list) {
        String s = string(o);
        if (s != null) {
          out.add(s);
        }
      }
    } else {
      String s = string(src);
      if (s != null) {
        out.add(s);
      }
    }
    return out.isEmpty() ? null : out;
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
