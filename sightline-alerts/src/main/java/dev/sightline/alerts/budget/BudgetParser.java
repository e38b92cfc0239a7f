package dev.sightline.alerts.budget;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads budget specs {@code NAME=SCOPE[:VALUE],USD/PERIOD[,soft=PCT%][,hard]}, e.g.
 * {@code chat=route:/chat,50/month,soft=75%,hard} or {@code alice=user:alice,5/24h,hard}.
 */
public final class BudgetParser {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern ROLLING = Pattern.compile("([1-9][0-9]{0,4})([hd])");
  private static final String FORMAT = "NAME=SCOPE[:VALUE],USD/PERIOD[,soft=PCT%][,hard]";
  private static final int DEFAULT_SOFT_PCT = 80;

  private BudgetParser() {}

  /** Parses several specs (each its own string, or several per string separated by spaces); names must be unique. */
  public static List<Budget> parseAll(List<String> specs) throws BudgetSpecException {
    List<Budget> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (String line : specs) {
      for (String spec : line.trim().split("\\s+")) {
        if (spec.isEmpty()) {
          continue;
        }
        Budget b = parse(spec);
        if (!names.add(b.name())) {
          throw new BudgetSpecException("budget '" + b.name() + "' is defined twice; budget names must be unique");
        }
        out.add(b);
      }
    }
    return List.copyOf(out);
  }

  /** Parses one spec. */
  public static Budget parse(String spec) throws BudgetSpecException {
    String s = spec == null ? "" : spec.trim();
    int eq = s.indexOf('=');
    if (eq <= 0) {
      throw problem(s, "expected " + FORMAT + ", e.g. chat=route:/chat,50/month,hard");
    }
    String name = s.substring(0, eq);
    if (!NAME.matcher(name).matches()) {
      throw problem(s, "the name '" + name + "' must be 1-64 letters, digits, '_', '.' or '-'");
    }
    String[] parts = s.substring(eq + 1).split(",", -1);
    if (parts.length < 2) {
      throw problem(s, "expected a scope and an amount per period after '" + name + "=', as in " + FORMAT);
    }
    String scopePart = parts[0].trim();
    String scopeName = scopePart;
    String value = null;
    int colon = scopePart.indexOf(':');
    if (colon >= 0) {
      scopeName = scopePart.substring(0, colon);
      value = scopePart.substring(colon + 1).trim();
    }
    Budget.Scope scope = switch (scopeName.trim().toLowerCase(Locale.ROOT)) {
      case "project" -> Budget.Scope.PROJECT;
      case "service" -> Budget.Scope.SERVICE;
      case "route" -> Budget.Scope.ROUTE;
      case "user" -> Budget.Scope.USER;
      case "key" -> throw problem(s, "API-key budgets are not supported yet: they need gateway API keys"
          + " (issue 16); use project, service, route or user");
      default -> throw problem(s, "unknown scope '" + scopeName + "'; use project, service:NAME, route:PATH"
          + " or user:ID");
    };
    if (scope == Budget.Scope.PROJECT && value != null) {
      throw problem(s, "the project scope takes no value; write 'project', not '" + scopePart + "'");
    }
    if (scope != Budget.Scope.PROJECT && (value == null || value.isEmpty())) {
      throw problem(s, "the " + scope.wire() + " scope needs a value, e.g. " + scope.wire() + ":"
          + switch (scope) {
            case SERVICE -> "checkout";
            case ROUTE -> "/chat";
            default -> "alice";
          });
    }
    String amount = parts[1].trim();
    int slash = amount.indexOf('/');
    if (slash < 0) {
      throw problem(s, "expected USD/PERIOD such as 50/month or 5/24h; got '" + amount + "'");
    }
    BigDecimal limit;
    try {
      limit = new BigDecimal(amount.substring(0, slash).trim().replaceFirst("^\\$", ""));
    } catch (NumberFormatException e) {
      throw problem(s, "the limit '" + amount.substring(0, slash) + "' is not a number of USD");
    }
    if (limit.signum() <= 0) {
      throw problem(s, "the limit must be more than 0 USD; got " + limit.toPlainString());
    }
    Budget.Period period = period(s, amount.substring(slash + 1).trim().toLowerCase(Locale.ROOT));
    int soft = DEFAULT_SOFT_PCT;
    boolean hard = false;
    boolean softSeen = false;
    for (int i = 2; i < parts.length; i++) {
      String opt = parts[i].trim().toLowerCase(Locale.ROOT);
      if (opt.equals("hard")) {
        if (hard) {
          throw problem(s, "'hard' is given twice");
        }
        hard = true;
      } else if (opt.startsWith("soft=")) {
        if (softSeen) {
          throw problem(s, "'soft=' is given twice");
        }
        softSeen = true;
        String pct = opt.substring(5).replaceFirst("%$", "");
        try {
          soft = Integer.parseInt(pct);
        } catch (NumberFormatException e) {
          throw problem(s, "soft= takes a percentage such as soft=75%; got '" + parts[i].trim() + "'");
        }
        if (soft < 1 || soft > 100) {
          throw problem(s, "soft= must be between 1% and 100%; got " + soft + "%");
        }
      } else {
        throw problem(s, "unknown option '" + parts[i].trim() + "'; options are soft=PCT% and hard");
      }
    }
    return new Budget(name, scope, value, period, limit, soft, hard);
  }

  private static Budget.Period period(String spec, String p) throws BudgetSpecException {
    if (p.equals("month")) {
      return Budget.Period.MONTH;
    }
    var m = ROLLING.matcher(p);
    if (!m.matches()) {
      throw problem(spec, "the period '" + p + "' must be 'month' or a rolling window such as 24h, 7d or 30d");
    }
    long n = Long.parseLong(m.group(1));
    Duration d = m.group(2).equals("h") ? Duration.ofHours(n) : Duration.ofDays(n);
    if (d.compareTo(Duration.ofDays(366)) > 0) {
      throw problem(spec, "a rolling window may be at most 366d; got " + p);
    }
    return new Budget.Period(d);
  }

  private static BudgetSpecException problem(String spec, String what) {
    return new BudgetSpecException("budget '" + spec + "': " + what);
  }
}
