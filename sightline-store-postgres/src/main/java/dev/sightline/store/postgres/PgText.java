package dev.sightline.store.postgres;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * PostgreSQL's text cannot hold U+0000, which telemetry strings may carry (the other engine keeps
 * them): stored strings escape it, reversibly, with the noncharacter U+FFFF ({@code ESC 0} is NUL,
 * {@code ESC ESC} is U+FFFF itself). Equal strings stay equal and substrings stay substrings.
 * {@link #escaping} applies the same to the shared readers' parameters and results.
 */
final class PgText {
  private PgText() {}

  private static final char ESC = '\uFFFF';

  static String encode(String s) {
    if (s == null || (s.indexOf('\0') < 0 && s.indexOf(ESC) < 0)) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\0') {
        b.append(ESC).append('0');
      } else if (c == ESC) {
        b.append(ESC).append(ESC);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  static String decode(String s) {
    if (s == null || s.indexOf(ESC) < 0) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ESC && i + 1 < s.length()) {
        b.append(s.charAt(++i) == '0' ? '\0' : ESC);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** {@code c} whose prepared statements encode string parameters and decode string results. */
  static Connection escaping(Connection c) {
    return proxy(Connection.class, c, (method, args, result) -> switch (method) {
      case "prepareStatement" -> proxy(PreparedStatement.class, (PreparedStatement) result, PgText::statement);
      default -> result;
    }, PgText::encodeArgs);
  }

  private static Object statement(String method, Object[] args, Object result) {
    return method.equals("executeQuery") ? proxy(ResultSet.class, (ResultSet) result,
        (m, a, r) -> m.equals("getString") ? decode((String) r) : r, (m, a) -> {}) : result;
  }

  private static void encodeArgs(String method, Object[] args) {
    if (method.equals("createArrayOf") && args[1] instanceof Object[] values) {
      Object[] copy = values.clone();
      for (int i = 0; i < copy.length; i++) {
        copy[i] = copy[i] instanceof String str ? encode(str) : copy[i];
      }
      args[1] = copy;
    }
  }

  @FunctionalInterface
  private interface After {
    Object apply(String method, Object[] args, Object result) throws Exception;
  }

  @FunctionalInterface
  private interface Before {
    void apply(String method, Object[] args);
  }

  private static <T> T proxy(Class<T> type, T target, After after, Before before) {
    InvocationHandler h = (p, m, args) -> {
      if (args != null) {
        before.apply(m.getName(), args);
        if (m.getName().equals("setString") && args.length == 2 && args[1] instanceof String str) {
          args[1] = encode(str);
        }
      }
      try {
        return after.apply(m.getName(), args, m.invoke(target, args));
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    };
    return type.cast(Proxy.newProxyInstance(PgText.class.getClassLoader(), new Class<?>[] {type}, h));
  }

  private static <T> T proxy(Class<T> type, T target, After after) {
    return proxy(type, target, after, (m, a) -> {});
  }
}
