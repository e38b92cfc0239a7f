package dev.sightline.evaluators.text;

import dev.sightline.evaluators.text.Fact.Kind;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the checkable facts of one sentence: amounts of money, percentages, durations, dates,
 * times, versions, plain numbers (digits or number words) and named entities (capitalised names
 * not at the start of the sentence, codes such as "Plan B2").
 */
public final class FactExtractor {

  private static final Pattern TOKEN = Pattern.compile(
      "\\d{4}-\\d{2}-\\d{2}|\\d{1,2}:\\d{2}|v?\\d+(?:\\.\\d+){2,}|\\d+(?:,\\d{3})*(?:\\.\\d+)?[A-Za-z]*"
          + "|[\\p{L}][\\p{L}\\p{N}]*(?:[-'’][\\p{L}\\p{N}]+)*(?:\\.(?:[\\p{L}]\\.)+)?|[$€£¥%¢]|[^\\s\\p{L}\\p{N}]");

  private static final Map<String, String> CURRENCY = Map.ofEntries(Map.entry("$", "USD"), Map.entry("us$", "USD"),
      Map.entry("usd", "USD"), Map.entry("dollar", "USD"), Map.entry("dollars", "USD"), Map.entry("€", "EUR"),
      Map.entry("eur", "EUR"), Map.entry("euro", "EUR"), Map.entry("euros", "EUR"), Map.entry("£", "GBP"),
      Map.entry("gbp", "GBP"), Map.entry("pound", "GBP"), Map.entry("pounds", "GBP"), Map.entry("¥", "JPY"),
      Map.entry("jpy", "JPY"), Map.entry("yen", "JPY"), Map.entry("cad", "CAD"), Map.entry("aud", "AUD"),
      Map.entry("chf", "CHF"), Map.entry("inr", "INR"), Map.entry("rupees", "INR"));
  private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("january", 1), Map.entry("jan", 1),
      Map.entry("february", 2), Map.entry("feb", 2), Map.entry("march", 3), Map.entry("mar", 3),
      Map.entry("april", 4), Map.entry("apr", 4), Map.entry("may", 5), Map.entry("june", 6), Map.entry("jun", 6),
      Map.entry("july", 7), Map.entry("jul", 7), Map.entry("august", 8), Map.entry("aug", 8),
      Map.entry("september", 9), Map.entry("sep", 9), Map.entry("sept", 9), Map.entry("october", 10),
      Map.entry("oct", 10), Map.entry("november", 11), Map.entry("nov", 11), Map.entry("december", 12),
      Map.entry("dec", 12));
  private static final Map<String, Integer> NUMBER_WORDS = Map.ofEntries(Map.entry("zero", 0), Map.entry("one", 1),
      Map.entry("two", 2), Map.entry("three", 3), Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6),
      Map.entry("seven", 7), Map.entry("eight", 8), Map.entry("nine", 9), Map.entry("ten", 10),
      Map.entry("eleven", 11), Map.entry("twelve", 12), Map.entry("thirteen", 13), Map.entry("fourteen", 14),
      Map.entry("fifteen", 15), Map.entry("sixteen", 16), Map.entry("seventeen", 17), Map.entry("eighteen", 18),
      Map.entry("nineteen", 19), Map.entry("twenty", 20), Map.entry("thirty", 30), Map.entry("forty", 40),
      Map.entry("fifty", 50), Map.entry("sixty", 60), Map.entry("seventy", 70), Map.entry("eighty", 80),
      Map.entry("ninety", 90), Map.entry("hundred", 100), Map.entry("thousand", 1000), Map.entry("dozen", 12),
      Map.entry("single", 1), Map.entry("double", 2), Map.entry("twice", 2), Map.entry("once", 1),
      Map.entry("half", -1));
  private static final Map<String, String> UNITS = Map.ofEntries(Map.entry("second", "second"),
      Map.entry("seconds", "second"), Map.entry("minute", "minute"), Map.entry("minutes", "minute"),
      Map.entry("min", "minute"), Map.entry("mins", "minute"), Map.entry("hour", "hour"), Map.entry("hours", "hour"),
      Map.entry("hr", "hour"), Map.entry("hrs", "hour"), Map.entry("h", "hour"), Map.entry("day", "day"),
      Map.entry("days", "day"), Map.entry("night", "night"), Map.entry("nights", "night"), Map.entry("week", "week"),
      Map.entry("weeks", "week"), Map.entry("month", "month"), Map.entry("months", "month"),
      Map.entry("year", "year"), Map.entry("years", "year"), Map.entry("yr", "year"), Map.entry("ms", "millisecond"),
      Map.entry("millisecond", "millisecond"), Map.entry("milliseconds", "millisecond"));
  private static final Map<String, BigDecimal> MULTIPLIERS = Map.of("k", BigDecimal.valueOf(1000), "thousand",
      BigDecimal.valueOf(1000), "m", BigDecimal.valueOf(1_000_000), "million", BigDecimal.valueOf(1_000_000), "mn",
      BigDecimal.valueOf(1_000_000), "bn", BigDecimal.valueOf(1_000_000_000), "billion",
      BigDecimal.valueOf(1_000_000_000));
  // Capitalised words that are not names: sentence glue, weekdays are kept (they are facts).
  private static final Set<String> NOT_NAMES = Set.of("i", "i'm", "i'll", "i've", "i'd", "ok", "faq", "usd", "eur",
      "gbp", "jpy", "cad", "aud", "chf", "inr", "am", "pm", "a.m.", "p.m.", "gb", "mb", "kb", "tb", "hi",
      "hello", "dear", "thanks", "yes", "no", "note", "please", "the", "a", "an", "and", "or", "of", "for", "to",
      "in", "on", "at", "by", "with", "if", "your", "our", "you", "we", "it", "this", "that", "these", "those",
      "they", "there", "here", "however", "also", "so", "but", "as", "all", "any", "each", "when", "after",
      "before", "unfortunately", "good", "great", "sure", "absolutely", "yes,", "what", "how", "why", "who",
      "where", "which", "do", "does", "is", "are", "can", "could", "would", "will", "should", "may", "might",
      "must", "mr", "mrs", "ms", "dr", "e.g.", "i.e.", "etc", "eg", "ie", "re", "fyi", "asap", "us");
  /** Nouns a spelled-out count of the answer's own discourse goes with, and fractions. */
  private static final Pattern COUNTED_DISCOURSE = Pattern.compile(
      "things?|options?|ways?|reasons?|steps?|points?|choices?|possibilities|questions?|parts?|quarters?|thirds?"
          + "|fifths?|tenths?");
  private static final Set<String> DURATION_QUALIFIERS = Set.of("business", "working", "calendar", "full", "consecutive");

  private FactExtractor() {}

  private record Tok(String text, String lower, int start, int end) {}

  /** The facts of one sentence, in order of appearance; never throws. */
  public static List<Fact> extract(String sentence) {
    List<Fact> out = new ArrayList<>();
    if (sentence == null || sentence.isBlank()) {
      return out;
    }
    List<Tok> toks = new ArrayList<>();
    Matcher m = TOKEN.matcher(sentence);
    while (m.find() && toks.size() < 2000) {
      toks.add(new Tok(m.group(), m.group().toLowerCase(Locale.ROOT), m.start(), m.end()));
    }
    int firstWord = 0;
    while (firstWord < toks.size() && !Character.isLetterOrDigit(toks.get(firstWord).text.charAt(0))) {
      firstWord++;
    }
    int i = 0;
    while (i < toks.size()) {
      int next = numberFacts(sentence, toks, i, out);
      if (next > i) {
        i = next;
        continue;
      }
      next = entity(sentence, toks, i, firstWord, out);
      i = next > i ? next : i + 1;
    }
    return out;
  }

  /** Reads a number-like fact starting at token i; returns the index after it, or i if none. */
  private static int numberFacts(String s, List<Tok> toks, int i, List<Fact> out) {
    Tok t = toks.get(i);
    // ISO date
    if (t.text.matches("\\d{4}-\\d{2}-\\d{2}")) {
      out.add(fact(s, Kind.DATE, "date " + t.text, new BigDecimal(t.text.substring(0, 4)), t, t));
      return i + 1;
    }
    if (t.text.matches("\\d{1,2}:\\d{2}")) {
      int[] hm = {Integer.parseInt(t.text.split(":")[0]), Integer.parseInt(t.text.split(":")[1])};
      int end = i;
      if (i + 1 < toks.size() && isMeridiem(toks.get(i + 1).lower)) {
        end = i + 1;
        hm[0] = meridiem(hm[0], toks.get(i + 1).lower);
      }
      out.add(fact(s, Kind.TIME, String.format(Locale.ROOT, "time %02d:%02d", hm[0], hm[1]), null, t, toks.get(end)));
      return end + 1;
    }
    Matcher hm12 = Pattern.compile("(\\d{1,2})(am|pm)").matcher(t.lower);
    if (hm12.matches() && Integer.parseInt(hm12.group(1)) <= 12) {
      int h = meridiem(Integer.parseInt(hm12.group(1)), hm12.group(2));
      out.add(fact(s, Kind.TIME, String.format(Locale.ROOT, "time %02d:00", h), null, t, t));
      return i + 1;
    }
    if (t.text.matches("v?\\d+(\\.\\d+){2,}") || (t.lower.matches("v\\d+(\\.\\d+)?"))) {
      out.add(fact(s, Kind.VERSION, "version " + t.lower.replaceFirst("^v", ""), null, t, t));
      return i + 1;
    }
    // Month-first dates: "March 3, 2024", "March 2024", "Mar 3"
    Integer month = MONTHS.get(t.lower.replace(".", ""));
    if (month != null && i + 1 < toks.size() && (month != 5 || Character.isUpperCase(t.text.charAt(0)))) {
      Tok d = toks.get(i + 1);
      Integer day = dayOf(d.lower);
      if (day != null) {
        int end = i + 1;
        Integer year = null;
        int j = i + 2;
        if (j < toks.size() && toks.get(j).text.equals(",")) {
          j++;
        }
        if (j < toks.size() && toks.get(j).text.matches("(19|20)\\d\\d")) {
          year = Integer.parseInt(toks.get(j).text);
          end = j;
        }
        out.add(date(s, year, month, day, t, toks.get(end)));
        return end + 1;
      }
      if (d.text.matches("(19|20)\\d\\d")) {
        out.add(date(s, Integer.parseInt(d.text), month, null, t, d));
        return i + 2;
      }
    }
    // Amount with a leading currency: "$1,200", "USD 1,200.00", "US$ 5"
    String cur = CURRENCY.get(t.lower);
    if (cur != null && !t.lower.startsWith("dollar") && !t.lower.startsWith("euro") && !t.lower.startsWith("pound")
        && i + 1 < toks.size()) {
      BigDecimal[] amount = new BigDecimal[1];
      int end = amount(toks, i + 1, amount);
      if (end > i + 1) {
        out.add(fact(s, Kind.MONEY, "money " + plain(amount[0]) + " " + cur, amount[0], t, toks.get(end - 1)));
        return end;
      }
    }
    // "two-year", "three-month": a number word joined to its unit
    String[] joined = t.lower.split("-");
    if (joined.length == 2 && NUMBER_WORDS.getOrDefault(joined[0], -1) >= 1 && UNITS.containsKey(joined[1])
        && joined[1].length() > 2) {
      out.add(duration(s, BigDecimal.valueOf(NUMBER_WORDS.get(joined[0])), "", UNITS.get(joined[1]), t, t));
      return i + 1;
    }
    BigDecimal[] amount = new BigDecimal[1];
    int end = amount(toks, i, amount);
    if (end == i) {
      return i;
    }
    BigDecimal value = amount[0];
    Tok last = toks.get(end - 1);
    boolean fromWords = !Character.isDigit(t.text.charAt(0));
    // Day-first dates: "3 March 2024", "3rd of March"
    int j = end;
    if (j < toks.size() && toks.get(j).lower.equals("of")) {
      j++;
    }
    if (!fromWords && j < toks.size() && MONTHS.containsKey(toks.get(j).lower) && value.scale() <= 0
        && value.intValue() >= 1 && value.intValue() <= 31 && Character.isUpperCase(toks.get(j).text.charAt(0))) {
      int endTok = j;
      Integer year = null;
      if (j + 1 < toks.size() && toks.get(j + 1).text.matches("(19|20)\\d\\d")) {
        year = Integer.parseInt(toks.get(j + 1).text);
        endTok = j + 1;
      }
      out.add(date(s, year, MONTHS.get(toks.get(j).lower), value.intValue(), t, toks.get(endTok)));
      return endTok + 1;
    }
    if (end < toks.size()) {
      Tok u = toks.get(end);
      String c2 = CURRENCY.get(u.lower);
      if (u.lower.equals("cents") || u.lower.equals("cent") || u.text.equals("¢")) {
        BigDecimal dollars = value.movePointLeft(2);
        out.add(fact(s, Kind.MONEY, "money " + plain(dollars) + " USD", dollars, t, u));
        return end + 1;
      }
      if (c2 != null) {
        out.add(fact(s, Kind.MONEY, "money " + plain(value) + " " + c2, value, t, u));
        return end + 1;
      }
      if (u.text.equals("%") || u.lower.equals("percent") || u.lower.equals("pct")) {
        out.add(fact(s, Kind.PERCENT, "percent " + plain(value), value, t, u));
        return end + 1;
      }
      if (u.lower.equals("per") && end + 1 < toks.size() && toks.get(end + 1).lower.equals("cent")) {
        out.add(fact(s, Kind.PERCENT, "percent " + plain(value), value, t, toks.get(end + 1)));
        return end + 2;
      }
      if (isMeridiem(u.lower) && value.scale() <= 0 && value.intValue() >= 1 && value.intValue() <= 12) {
        out.add(fact(s, Kind.TIME, String.format(Locale.ROOT, "time %02d:00", meridiem(value.intValue(), u.lower)),
            null, t, u));
        return end + 1;
      }
      int dayPart = dayPart(toks, end);
      if (dayPart != 0 && value.scale() <= 0 && value.intValue() >= 1 && value.intValue() <= 12) {
        // "2 in the afternoon" is 14:00, "11 at night" 23:00, "7 in the morning" 07:00
        int h = value.intValue() % 12 + (dayPart > 0 ? 12 : 0);
        if (dayPart == 2 && value.intValue() < 6) {
          h = value.intValue() % 12; // "2 at night" is 02:00
        }
        out.add(fact(s, Kind.TIME, String.format(Locale.ROOT, "time %02d:00", h), null, t,
            toks.get(end + (toks.get(end).lower.equals("at") ? 1 : 2))));
        return end + (toks.get(end).lower.equals("at") ? 2 : 3);
      }
      int joinedTime = meridiemAfterRange(toks, end);
      if (joinedTime != 0 && value.scale() <= 0 && value.intValue() >= 1 && value.intValue() <= 12) {
        // "from 4 to 6:30 p.m.": the first hour takes the second's half of the day
        out.add(fact(s, Kind.TIME, String.format(Locale.ROOT, "time %02d:00",
            meridiem(value.intValue(), joinedTime > 0 ? "pm" : "am")), null, t, t));
        return end;
      }
      int k = end;
      if (toks.get(k).text.equals("-") && k + 1 < toks.size()) {
        k++;
      }
      String qualifier = "";
      if (k < toks.size() && DURATION_QUALIFIERS.contains(toks.get(k).lower) && k + 1 < toks.size()) {
        qualifier = toks.get(k).lower.equals("working") ? "business " : toks.get(k).lower.equals("business")
            ? "business " : "";
        k++;
      }
      String unit = k < toks.size() ? UNITS.get(toks.get(k).lower) : null;
      if (unit != null && (!unit.equals("hour") || !toks.get(k).lower.equals("h") || !fromWords)) {
        out.add(duration(s, value, qualifier, unit, t, toks.get(k)));
        return k + 1;
      }
    }
    // number words alone are facts only from two upwards, and "one"/"once"… only inside durations
    if (fromWords && (value.compareTo(BigDecimal.valueOf(2)) < 0 || value.scale() > 0)) {
      return i;
    }
    if (fromWords && t.lower.matches("single|double|twice|once|half|dozen")) {
      return i;
    }
    if (fromWords && end < toks.size() && COUNTED_DISCOURSE.matcher(toks.get(end).lower).matches()) {
      return end; // "two things", "three quarters": the answer's own wording, no fact of the context
    }
    out.add(fact(s, Kind.NUMBER, "number " + plain(value), value, t, last));
    return end;
  }

  /** After a number: 0 if no part of the day follows, 1 afternoon or evening, 2 night, -1 morning. */
  private static int dayPart(List<Tok> toks, int k) {
    if (k + 1 < toks.size() && toks.get(k).lower.equals("at") && toks.get(k + 1).lower.equals("night")) {
      return 2;
    }
    if (k + 2 < toks.size() && toks.get(k).lower.equals("in") && toks.get(k + 1).lower.equals("the")) {
      return switch (toks.get(k + 2).lower) {
        case "morning" -> -1;
        case "afternoon", "evening" -> 1;
        default -> 0;
      };
    }
    return 0;
  }

  /** "4 to 6:30 p.m.", "9–11am": the half of the day of a range's second time; 0 if none. */
  private static int meridiemAfterRange(List<Tok> toks, int k) {
    if (k + 1 >= toks.size() || !toks.get(k).lower.matches("to|-|–|—|until|till")) {
      return 0;
    }
    Tok next = toks.get(k + 1);
    String mer = null;
    if (next.lower.matches("\\d{1,2}(am|pm)")) {
      mer = next.lower.substring(next.lower.length() - 2);
    } else if (next.lower.matches("\\d{1,2}(:\\d{2})?") && k + 2 < toks.size() && isMeridiem(toks.get(k + 2).lower)) {
      mer = toks.get(k + 2).lower;
    }
    return mer == null ? 0 : mer.startsWith("p") ? 1 : -1;
  }

  private static boolean isMeridiem(String w) {
    return w.equals("am") || w.equals("pm") || w.equals("a.m.") || w.equals("p.m.");
  }

  private static int meridiem(int hour, String w) {
    boolean pm = w.startsWith("p");
    if (hour == 12) {
      return pm ? 12 : 0;
    }
    return pm ? hour + 12 : hour;
  }

  private static Integer dayOf(String w) {
    Matcher dm = Pattern.compile("(\\d{1,2})(st|nd|rd|th)?").matcher(w);
    if (dm.matches()) {
      int d = Integer.parseInt(dm.group(1));
      return d >= 1 && d <= 31 ? d : null;
    }
    return null;
  }

  /**
   * Reads an amount at token i: digits ("1,200.00", "14th", "5k") or number words ("twenty-four",
   * "two hundred", "a" before a unit), with an optional multiplier word. Returns the index after it.
   */
  private static int amount(List<Tok> toks, int i, BigDecimal[] out) {
    Tok t = toks.get(i);
    Matcher dm = Pattern.compile("(\\d[\\d,]*(?:\\.\\d+)?)([a-z]*)").matcher(t.lower);
    if (dm.matches()) {
      BigDecimal v;
      try {
        v = new BigDecimal(dm.group(1).replace(",", ""));
      } catch (NumberFormatException e) {
        return i;
      }
      String suffix = dm.group(2);
      int end = i + 1;
      if (MULTIPLIERS.containsKey(suffix)) {
        v = v.multiply(MULTIPLIERS.get(suffix));
      } else if (!suffix.isEmpty() && !suffix.matches("st|nd|rd|th|x|gb|mb|tb|kb|ms|s|h|hrs|min|am|pm|kg|lb|lbs|mm|cm|km|m")) {
        return i; // "4o", "2FA": a code, not a number
      } else if (suffix.equals("am") || suffix.equals("pm")) {
        return i; // "9am" is read as a time below via the split form only
      }
      if (end < toks.size() && MULTIPLIERS.containsKey(toks.get(end).lower) && toks.get(end).lower.length() > 2) {
        v = v.multiply(MULTIPLIERS.get(toks.get(end).lower));
        end++;
      }
      out[0] = v;
      return end;
    }
    // number words; "a week" counts as one week (the checker treats it as a soft fact)
    int j = i;
    if ((t.lower.equals("a") || t.lower.equals("an")) && i + 1 < toks.size()
        && UNITS.containsKey(toks.get(i + 1).lower) && toks.get(i + 1).lower.length() > 2) {
      out[0] = BigDecimal.ONE;
      return i + 1;
    }
    long total = 0;
    long current = 0;
    boolean any = false;
    while (j < toks.size()) {
      String w = toks.get(j).lower;
      String[] parts = w.split("-");
      boolean ok = parts.length >= 1 && parts.length <= 2; // "-" and "--flag" split to nothing
      long add = 0;
      for (String p : parts) {
        Integer n = NUMBER_WORDS.get(p);
        if (n == null || n < 0) {
          ok = false;
          break;
        }
        if (n == 100 || n == 1000 || n == 12 && p.equals("dozen")) {
          continue;
        }
        add += n;
      }
      if (!ok) {
        break;
      }
      Integer head = NUMBER_WORDS.get(parts[0]);
      if (w.equals("hundred")) {
        current = Math.max(current, 1) * 100;
      } else if (w.equals("thousand")) {
        total += Math.max(current, 1) * 1000;
        current = 0;
      } else if (w.equals("dozen")) {
        current = Math.max(current, 1) * 12;
      } else if (head != null) {
        current += add;
      }
      any = true;
      j++;
      if (j < toks.size() && toks.get(j).lower.equals("and") && j + 1 < toks.size()
          && NUMBER_WORDS.containsKey(toks.get(j + 1).lower.split("-")[0]) && (current >= 100 || total >= 1000)) {
        j++;
      }
    }
    if (!any) {
      return i;
    }
    out[0] = BigDecimal.valueOf(total + current);
    return j;
  }

  private static Fact duration(String s, BigDecimal value, String qualifier, String unit, Tok from, Tok to) {
    BigDecimal v = value;
    String u = unit;
    // weeks → days and whole days of hours → days: "two weeks" is "14 days", "48 hours" is "2 days"
    if (qualifier.isEmpty() && u.equals("week")) {
      v = v.multiply(BigDecimal.valueOf(7));
      u = "day";
    } else if (qualifier.isEmpty() && u.equals("hour") && v.signum() > 0
        && v.remainder(BigDecimal.valueOf(24)).signum() == 0) {
      v = v.divide(BigDecimal.valueOf(24));
      u = "day";
    } else if (u.equals("year")) {
      v = v.multiply(BigDecimal.valueOf(12)); // "a year" is "12 months"
      u = "month";
    } else if (u.equals("night")) {
      u = "day";
    }
    return fact(s, Kind.DURATION, "duration " + plain(v) + " " + qualifier + u, value, from, to);
  }

  private static Fact date(String s, Integer year, int month, Integer day, Tok from, Tok to) {
    String key = "date " + (year == null ? "----" : year) + "-" + String.format(Locale.ROOT, "%02d", month)
        + (day == null ? "" : String.format(Locale.ROOT, "-%02d", day));
    return fact(s, Kind.DATE, key, year == null ? null : BigDecimal.valueOf(year), from, to);
  }

  private static int entity(String s, List<Tok> toks, int i, int firstWord, List<Fact> out) {
    Tok t = toks.get(i);
    if (!isNameToken(t) || NOT_NAMES.contains(t.lower)) {
      return i;
    }
    int j = i;
    while (j < toks.size() && isNameToken(toks.get(j)) && (j == i || !NOT_NAMES.contains(toks.get(j).lower))
        && !MONTHS.containsKey(toks.get(j).lower)) {
      j++;
    }
    if (j == i) {
      return i;
    }
    // a bare number right after a name is part of it: "Go 15", "Fibre 1000", "iOS 15"
    if (j + 1 <= toks.size() - 1 && toks.get(j).text.matches("\\d{1,5}") && toks.get(j).start == toks.get(j - 1).end + 1
        && !measureFollows(toks, j + 1)) {
      j++;
    } else if (j == toks.size() - 1 && toks.get(j).text.matches("\\d{1,5}")
        && toks.get(j).start == toks.get(j - 1).end + 1) {
      j++;
    }
    boolean hasCode = false;
    for (int k = i; k < j; k++) {
      hasCode |= isCode(toks.get(k).text);
    }
    boolean atStart = i == firstWord;
    if (atStart && j - i == 1 && !hasCode && !isAcronym(toks.get(i).text)) {
      return j; // a capitalised first word is just the start of the sentence
    }
    int from = atStart && j - i > 1 && !hasCode && Terms.STOP.contains(toks.get(i).lower) ? i + 1 : i;
    StringBuilder key = new StringBuilder("entity");
    for (int k = from; k < j; k++) {
      key.append(' ').append(toks.get(k).lower.replace('’', '\''));
    }
    out.add(fact(s, Kind.ENTITY, key.toString(), null, toks.get(from), toks.get(j - 1)));
    return j;
  }

  /** Whether a unit, currency, percent sign or time marker follows: then the number is a value, not a name. */
  private static boolean measureFollows(List<Tok> toks, int k) {
    if (k >= toks.size()) {
      return false;
    }
    String w = toks.get(k).lower;
    return UNITS.containsKey(w) || CURRENCY.containsKey(w) || MULTIPLIERS.containsKey(w) || isMeridiem(w)
        || w.matches("%|percent|pct|gb|mb|tb|kb|kg|lb|lbs|km|mi|cm|mm|x|to|-|–|—|/|of|per") || MONTHS.containsKey(w)
        || DURATION_QUALIFIERS.contains(w);
  }

  private static boolean isNameToken(Tok t) {
    char c = t.text.charAt(0);
    return (Character.isUpperCase(c) && Character.isLetter(c)) || isCode(t.text);
  }

  /** "B2", "X200", "gpt-4o": letters and digits mixed. */
  private static boolean isCode(String w) {
    boolean letter = false;
    boolean digit = false;
    for (int k = 0; k < w.length(); k++) {
      letter |= Character.isLetter(w.charAt(k));
      digit |= Character.isDigit(w.charAt(k));
    }
    return letter && digit && Character.isLetter(w.charAt(0));
  }

  private static boolean isAcronym(String w) {
    return w.length() >= 2 && w.chars().allMatch(ch -> Character.isUpperCase(ch) || Character.isDigit(ch));
  }

  private static Fact fact(String s, Kind kind, String key, BigDecimal amount, Tok from, Tok to) {
    return new Fact(kind, key, amount, s.substring(from.start, to.end), from.start, to.end);
  }

  static String plain(BigDecimal v) {
    BigDecimal st = v.stripTrailingZeros();
    return st.scale() < 0 ? st.setScale(0).toPlainString() : st.toPlainString();
  }
}
