package dev.sightline.evaluators.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Content words for lexical comparison: lower-cased, stop words dropped, light stemming (plural,
 * -ed, -ing, -ly) and a small table of everyday synonyms, so "refunded purchases" and "refund a
 * purchase" share their terms.
 */
public final class Terms {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['’][\\p{L}]+)?");

  static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in",
      "on", "at", "by", "for", "with", "from", "into", "onto", "about", "as", "is", "are", "was", "were", "be", "been",
      "being", "am", "do", "does", "did", "doing", "have", "has", "had", "having", "i", "you", "your", "yours", "we",
      "our", "ours", "us", "they", "them", "their", "it", "its", "he", "she", "his", "her", "this", "that", "these",
      "those", "there", "here", "which", "who", "whom", "what", "when", "where", "why", "how", "will", "would",
      "shall", "should", "can", "could", "may", "might", "must", "just", "also", "very", "any", "all", "each",
      "some", "such", "than", "too", "only", "own", "same", "other", "more", "most", "up", "out", "over", "under",
      "again", "further", "once", "per", "via", "within", "after", "before", "during", "until", "while", "both",
      "either", "whether", "yes", "yeah", "sure", "okay", "ok", "please", "thanks", "thank", "me", "my", "mine",
      "s", "t", "re", "ll", "ve", "d", "m", "get", "got", "gets", "let", "lets", "need", "needs", "want", "like",
      "well", "one", "now", "still", "even", "much", "many", "way", "ways", "thing", "things", "because",
      "since", "through", "however", "therefore", "note", "not", "no", "never", "nor", "don't", "doesn't",
      "isn't", "aren't", "won't", "can't", "cannot", "didn't", "wasn't", "weren't", "it's", "you're", "we're",
      "you'll", "we'll", "there's", "that's", "i'm", "i'd", "you'd", "without", "don", "doesn", "isn", "aren",
      "won", "didn", "wasn", "weren", "able", "simply", "currently", "usually", "typically", "already", "actually",
      // number words are facts, compared by the fact check, not as terms
      "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
      "fourteen", "fifteen", "sixteen", "twenty", "thirty", "forty", "fifty", "sixty", "ninety", "hundred",
      "thousand", "million", "half", "dozen", "percent", "cent", "cents", "zero", "first", "second", "third",
      "dollar", "dollars", "euro", "euros", "eur", "usd", "gbp", "pound", "pounds");

  // Everyday synonyms folded onto one stem; kept small so it never joins words with different facts.
  private static final Map<String, String> SYNONYMS = Map.ofEntries(
      Map.entry("reimburse", "refund"), Map.entry("reimbursement", "refund"), Map.entry("repay", "refund"),
      Map.entry("money-back", "refund"),
      Map.entry("purchase", "buy"), Map.entry("bought", "buy"), Map.entry("order", "buy"),
      Map.entry("price", "cost"), Map.entry("fee", "cost"), Map.entry("charge", "cost"), Map.entry("pay", "cost"),
      Map.entry("paid", "cost"), Map.entry("payment", "cost"), Map.entry("costs", "cost"),
      Map.entry("terminate", "cancel"), Map.entry("cancellation", "cancel"),
      Map.entry("deliver", "ship"), Map.entry("delivery", "ship"), Map.entry("shipment", "ship"),
      Map.entry("arrive", "ship"), Map.entry("dispatch", "ship"),
      Map.entry("customer", "client"), Map.entry("user", "client"), Map.entry("member", "client"),
      Map.entry("member's", "client"),
      Map.entry("employee", "staff"), Map.entry("worker", "staff"),
      Map.entry("allow", "permit"), Map.entry("let", "permit"), Map.entry("permitted", "permit"),
      Map.entry("begin", "start"), Map.entry("commence", "start"), Map.entry("receive", "get"),
      Map.entry("obtain", "get"), Map.entry("require", "need"), Map.entry("mandatory", "need"),
      Map.entry("required", "need"), Map.entry("limit", "max"), Map.entry("maximum", "max"), Map.entry("cap", "max"),
      Map.entry("minimum", "min"), Map.entry("least", "min"), Map.entry("quick", "fast"), Map.entry("rapid", "fast"),
      Map.entry("help", "support"), Map.entry("assist", "support"), Map.entry("assistance", "support"),
      Map.entry("call", "phone"), Map.entry("telephone", "phone"), Map.entry("email", "mail"), Map.entry("e-mail", "mail"),
      Map.entry("luggage", "baggage"), Map.entry("bag", "baggage"), Map.entry("suitcase", "baggage"),
      Map.entry("account", "account"), Map.entry("fix", "repair"), Map.entry("replacement", "replace"),
      Map.entry("day", "day"), Map.entry("daily", "day"), Map.entry("monthly", "month"), Map.entry("yearly", "year"),
      Map.entry("annual", "year"), Map.entry("annually", "year"), Map.entry("weekly", "week"),
      Map.entry("automatically", "automatic"), Map.entry("auto", "automatic"), Map.entry("big", "large"),
      Map.entry("small", "little"), Map.entry("file", "submit"), Map.entry("request", "ask"));

  private Terms() {}

  /** The content terms of {@code text}, in order, duplicates kept. */
  public static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) {
      return out;
    }
    Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      String w = m.group().replace('’', '\'');
      if (STOP.contains(w) || w.length() < 2) {
        continue;
      }
      out.add(stem(w));
    }
    return out;
  }

  /** A light stem of one lower-case word, then its synonym group. */
  public static String stem(String w) {
    String s = SYNONYMS.get(w);
    if (s != null) {
      return s;
    }
    if (w.endsWith("'s")) {
      w = w.substring(0, w.length() - 2);
    }
    String base = w;
    if (w.length() > 4 && w.endsWith("ies")) {
      base = w.substring(0, w.length() - 3) + "y";
    } else if (w.length() > 4 && (w.endsWith("sses") || w.endsWith("shes") || w.endsWith("ches") || w.endsWith("xes"))) {
      base = w.substring(0, w.length() - 2);
    } else if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
      base = w.substring(0, w.length() - 1);
    } else if (w.length() > 5 && w.endsWith("ing")) {
      base = undouble(w.substring(0, w.length() - 3));
    } else if (w.length() > 4 && w.endsWith("ied")) {
      base = w.substring(0, w.length() - 3) + "y";
    } else if (w.length() > 4 && w.endsWith("ed")) {
      base = undouble(w.substring(0, w.length() - 2));
    } else if (w.length() > 7 && w.endsWith("ment")) {
      base = w.substring(0, w.length() - 4);
    } else if (w.length() > 5 && w.endsWith("ly")) {
      base = w.substring(0, w.length() - 2);
    }
    if (base.length() > 4 && base.endsWith("e")) {
      base = base.substring(0, base.length() - 1); // "charge" and "charg(ed)" meet
    }
    s = SYNONYMS.get(base);
    if (s == null && base.length() < w.length()) {
      s = SYNONYMS.get(base + "e");
    }
    return s != null ? s : base;
  }

  private static String undouble(String s) {
    int n = s.length();
    if (n > 3 && s.charAt(n - 1) == s.charAt(n - 2) && "lsz".indexOf(s.charAt(n - 1)) < 0) {
      return s.substring(0, n - 1);
    }
    return s;
  }
}
