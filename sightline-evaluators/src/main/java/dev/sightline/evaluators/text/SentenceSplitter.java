package dev.sightline.evaluators.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits prose and markdown into sentences: list items and lines are their own units, and a full
 * stop ends a sentence unless it belongs to an abbreviation, an initial or a number.
 */
public final class SentenceSplitter {

  // Titles and abbreviations after which a capitalised word is not a new sentence.
  private static final Set<String> NEVER_FINAL = Set.of("dr", "mr", "mrs", "ms", "prof", "st", "no", "nos", "vs",
      "approx", "inc", "ltd", "co", "corp", "jr", "sr", "dept", "fig", "vol", "ca", "cf", "ref", "art", "sec", "jan",
      "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "wed", "thu", "fri",
      "e.g", "i.e", "a.m", "p.m", "min", "max", "est", "mt", "ft", "pp", "op");
  // Words that, capitalised after "U.S." or "etc.", show that a new sentence starts there.
  private static final Set<String> STARTERS = Set.of("the", "we", "you", "it", "this", "that", "our", "if", "in",
      "for", "please", "they", "he", "she", "a", "an", "there", "your", "these", "those", "all", "each", "i",
      "however", "also", "note", "after", "when", "to", "as", "on", "at", "refunds", "orders");

  private SentenceSplitter() {}

  /** The sentences of {@code text} in order; never null, empty for blank or null text. */
  public static List<Sentence> split(String text) {
    return split(text, Integer.MAX_VALUE);
  }

  /** As {@link #split(String)}, stopping after {@code limit} sentences. */
  public static List<Sentence> split(String text, int limit) {
    List<Sentence> out = new ArrayList<>();
    if (text == null || text.isEmpty() || limit <= 0) {
      return out;
    }
    int lineStart = 0;
    int n = text.length();
    while (lineStart < n && out.size() < limit) {
      int lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) {
        lineEnd = n;
      }
      splitLine(text, lineStart, lineEnd, out, limit);
      lineStart = lineEnd + 1;
    }
    return out;
  }

  private static void splitLine(String text, int from, int to, List<Sentence> out, int limit) {
    int start = skipMarker(text, from, to);
    int i = start;
    while (i < to && out.size() < limit) {
      char c = text.charAt(i);
      if (c == '.' || c == '!' || c == '?' || c == '。') {
        int end = i + 1;
        while (end < to && "!?.".indexOf(text.charAt(end)) >= 0) {
          end++;
        }
        while (end < to && "\"')]”’»*_".indexOf(text.charAt(end)) >= 0) {
          end++;
        }
        if (end >= to || (isSpace(text.charAt(end)) && endsSentence(text, start, i, end, to))) {
          add(text, start, end, out);
          start = end;
          i = end;
          continue;
        }
        i = end;
        continue;
      }
      i++;
    }
    if (out.size() < limit) {
      add(text, start, to, out);
    }
  }

  private static boolean endsSentence(String text, int sentenceStart, int stop, int after, int to) {
    int next = after;
    while (next < to && isSpace(text.charAt(next))) {
      next++;
    }
    if (next >= to) {
      return true;
    }
    char nc = text.charAt(next);
    boolean opensNew = Character.isUpperCase(nc) || Character.isDigit(nc) || "\"'“‘([*-•".indexOf(nc) >= 0;
    if (!opensNew) {
      return false;
    }
    if (text.charAt(stop) != '.') {
      return true;
    }
    int w = stop;
    while (w > sentenceStart && (Character.isLetter(text.charAt(w - 1)) || text.charAt(w - 1) == '.')) {
      w--;
    }
    String word = text.substring(w, stop).toLowerCase(Locale.ROOT);
    if (word.isEmpty()) {
      return true;
    }
    if (word.length() == 1 && Character.isUpperCase(text.charAt(w))) {
      return false; // an initial: "J. Smith"
    }
    String nextWord = nextWord(text, next, to);
    boolean starter = STARTERS.contains(nextWord.toLowerCase(Locale.ROOT));
    if (NEVER_FINAL.contains(word)) {
      return false;
    }
    if (word.contains(".") || word.equals("etc")) {
      return starter; // "U.S. The fee…" ends; "U.S. Bank" does not
    }
    return true;
  }

  private static boolean isSpace(char c) {
    return Character.isWhitespace(c) || Character.isISOControl(c) || Character.isSpaceChar(c);
  }

  private static String nextWord(String text, int from, int to) {
    int e = from;
    while (e < to && Character.isLetter(text.charAt(e))) {
      e++;
    }
    return text.substring(from, e);
  }

  /** Skips indentation, bullets ("-", "*", "•", "+"), numbered markers ("1." "2)") and headings ("#"). */
  private static int skipMarker(String text, int from, int to) {
    int i = from;
    while (i < to && Character.isWhitespace(text.charAt(i))) {
      i++;
    }
    if (i < to && "-*•+>#".indexOf(text.charAt(i)) >= 0) {
      int j = i;
      while (j < to && "-*•+>#".indexOf(text.charAt(j)) >= 0) {
        j++;
      }
      // "**bold**" at line start is emphasis, not a bullet
      if (j < to && Character.isWhitespace(text.charAt(j))) {
        return j;
      }
      return i;
    }
    int j = i;
    while (j < to && j - i < 3 && Character.isDigit(text.charAt(j))) {
      j++;
    }
    if (j > i && j + 1 < to && (text.charAt(j) == '.' || text.charAt(j) == ')')
        && Character.isWhitespace(text.charAt(j + 1))) {
      return j + 1;
    }
    return i;
  }

  private static void add(String text, int start, int end, List<Sentence> out) {
    while (start < end && isSpace(text.charAt(start))) {
      start++;
    }
    while (end > start && isSpace(text.charAt(end - 1))) {
      end--;
    }
    if (end <= start) {
      return;
    }
    String s = text.substring(start, end);
    boolean hasWord = false;
    for (int k = 0; k < s.length() && !hasWord; k++) {
      hasWord = Character.isLetterOrDigit(s.charAt(k));
    }
    if (hasWord) {
      out.add(new Sentence(s, start, end));
    }
  }
}
