package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.Fact.Kind;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When two facts state the same thing, and when they are two values of the same sort. */
final class FactMatch {

  private FactMatch() {}

  /** "a day", "an hour": as often "per day" as a duration, so never held against an answer. */
  static boolean soft(Fact f) {
    String l = f.surface().toLowerCase(Locale.ROOT);
    return l.startsWith("a ") || l.startsWith("an ");
  }

  /** Whether the answer's fact {@code a} is stated by the context's fact {@code c}. */
  static boolean same(Fact a, Fact c) {
    if (a.key().equals(c.key()) || seconds(a) > 0 && seconds(a) == seconds(c)) {
      return true;
    }
    if (a.amount() == null || c.amount() == null || a.amount().compareTo(c.amount()) != 0) {
      return a.kind() == Kind.DATE && c.kind() == Kind.DATE && compatibleDates(a.key(), c.key());
    }
    return switch (a.kind()) {
      case NUMBER -> true;
      case MONEY -> c.kind() == Kind.NUMBER;
      case DURATION -> c.kind() == Kind.DURATION && a.key().replace("business ", "").equals(
          c.key().replace("business ", "")) || c.kind() == Kind.NUMBER;
      case PERCENT -> c.kind() == Kind.PERCENT;
      default -> false;
    };
  }

  /**
   * Whether the answer's value lies inside a range the context states: "45 days" within "31–60
   * days", "5 p.m." within "16:00–18:30". The bound with a unit decides the kind ("4–6 business
   * days" gives the 4 its unit).
   */
  static boolean within(Fact a, Fact low, Fact high) {
    Fact typed = high.kind() != Kind.NUMBER ? high : low;
    if (a.kind() != typed.kind() && !(a.kind() == Kind.NUMBER && typed.kind() == Kind.NUMBER)) {
      return false;
    }
    double v = magnitude(a, typed);
    double lo = magnitude(low, typed);
    double hi = magnitude(high, typed);
    return !Double.isNaN(v) && !Double.isNaN(lo) && !Double.isNaN(hi) && Math.min(lo, hi) <= v
        && v <= Math.max(lo, hi);
  }

  /** A value as a number in the unit of {@code typed}: minutes of the day for times, NaN when not comparable. */
  private static double magnitude(Fact f, Fact typed) {
    if (f.kind() == Kind.TIME) {
      String[] hm = f.key().substring(5).split(":");
      return Integer.parseInt(hm[0]) * 60 + Integer.parseInt(hm[1]);
    }
    if (f.kind() == Kind.DURATION) {
      if (typed.kind() != Kind.DURATION || !unitOf(f).equals(unitOf(typed))) {
        return Double.NaN;
      }
      return Double.parseDouble(f.key().split(" ")[1]);
    }
    if (f.kind() == Kind.NUMBER && typed.kind() == Kind.DURATION) {
      return f.amount() == null ? Double.NaN : f.amount().doubleValue(); // "4" in "4–6 days" is 4 days
    }
    if (f.kind() == Kind.NUMBER && typed.kind() == Kind.TIME) {
      return Double.NaN;
    }
    return f.amount() == null ? Double.NaN : f.amount().doubleValue();
  }

  /** "business day" of "duration 5 business day". */
  private static String unitOf(Fact f) {
    String k = f.key();
    return k.substring(k.indexOf(' ', 9) + 1);
  }

  /** Two values that could stand in each other's place: same kind, durations in the same unit family. */
  static boolean comparable(Fact a, Fact b) {
    if (a.kind() != b.kind()) {
      return false;
    }
    if (a.kind() == Kind.DURATION) {
      return a.key().contains("business") == b.key().contains("business") && (seconds(a) > 0) == (seconds(b) > 0)
          && (seconds(a) > 0 || unit(a).equals(unit(b)));
    }
    return true;
  }

  private static String unit(Fact f) {
    String k = f.key();
    return k.substring(k.lastIndexOf(' ') + 1);
  }

  /**
   * A calendar duration in seconds, so that "five minutes" is "300 seconds" and "one month" is
   * "30 days" (twelve months are taken as 365 days); -1 for business durations and unknown units.
   */
  static long seconds(Fact f) {
    if (f.kind() != Kind.DURATION || f.key().contains("business")) {
      return -1;
    }
    String[] p = f.key().split(" ");
    try {
      double v = Double.parseDouble(p[1]);
      double s = switch (p[2]) {
        case "millisecond" -> v / 1000;
        case "second" -> v;
        case "minute" -> v * 60;
        case "hour" -> v * 3600;
        case "day" -> v * 86_400;
        case "month" -> v % 12 == 0 ? v / 12 * 365 * 86_400 : v * 30 * 86_400;
        default -> -1;
      };
      return s > 0 && s == Math.rint(s) ? (long) s : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private static final Pattern DATE_KEY = Pattern.compile("date (\\d{4}|----)-(\\d{2})(?:-(\\d{2}))?");

  /** "April 15" agrees with "15 April 2025": a missing year or day is no contradiction. */
  private static boolean compatibleDates(String a, String c) {
    Matcher x = DATE_KEY.matcher(a);
    Matcher y = DATE_KEY.matcher(c);
    if (!x.matches() || !y.matches() || !x.group(2).equals(y.group(2))) {
      return false;
    }
    if (!x.group(1).equals("----") && !y.group(1).equals("----") && !x.group(1).equals(y.group(1))) {
      return false;
    }
    return x.group(3) == null || y.group(3) == null || x.group(3).equals(y.group(3));
  }

}
