package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.FactExtractor;
import dev.sightline.evaluators.text.Sentence;
import dev.sightline.evaluators.text.SentenceSplitter;
import dev.sightline.evaluators.text.Terms;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The context of one call cut into sentences with their terms and facts, under a budget of
 * characters and sentences so that a huge context costs bounded work.
 */
final class ContextIndex {

  static final int MAX_CHARS = 200_000;
  static final int MAX_SENTENCES = 1_500;

  /** One context sentence and what it says. */
  record Entry(int passage, ContextPassage source, Sentence sentence, String plain, Set<String> terms,
      List<Fact> facts, boolean negative) {}

  final List<Entry> entries = new ArrayList<>();
  final Set<String> vocabulary = new HashSet<>();
  final Set<String> factKeys = new HashSet<>();
  final List<BigDecimal> amounts = new ArrayList<>();
  /**
   * Facts no context sentence states but that an answer may repeat without inventing them: those of
   * passage titles ("Version 8.3") and of the user's own questions ("my 4-year-old", "a 10 kg dog").
   */
  final List<Fact> asideFacts = new ArrayList<>();
  /** Value ranges the context states ("31–60 days", "between 1 and 60", "from 16:00 to 18:30"): low, high. */
  final List<Fact[]> ranges = new ArrayList<>();
  final StringBuilder lowerText = new StringBuilder();
  boolean truncated;

  ContextIndex(List<ContextPassage> passages) {
    int chars = 0;
    for (int p = 0; p < passages.size(); p++) {
      ContextPassage passage = passages.get(p);
      String text = clean(passage.text());
      if (chars >= MAX_CHARS || entries.size() >= MAX_SENTENCES) {
        truncated = true;
        break;
      }
      if (text.length() > MAX_CHARS - chars) {
        text = text.substring(0, MAX_CHARS - chars);
        truncated = true;
      }
      chars += text.length();
      boolean prompt = "prompt".equals(passage.source());
      for (Sentence s : SentenceSplitter.split(text, MAX_SENTENCES - entries.size() + 1)) {
        if (entries.size() >= MAX_SENTENCES) {
          truncated = true;
          break;
        }
        String plain = s.plain();
        // a user's question states no facts; only the user's statements count as context
        if (prompt && plain.endsWith("?")) {
          asideFacts.addAll(FactExtractor.extract(plain));
          continue;
        }
        List<Fact> facts = FactExtractor.extract(plain);
        Set<String> terms = new HashSet<>(Terms.of(plain));
        entries.add(new Entry(p, passage, s, plain, terms, facts, Polarity.negative(plain)));
        vocabulary.addAll(terms);
        ranges.addAll(ranges(plain, facts));
        for (Fact f : facts) {
          factKeys.add(f.key());
          if (f.amount() != null) {
            amounts.add(f.amount());
          }
        }
        lowerText.append(' ').append(normalise(plain)).append(' ');
      }
      if (passage.title() != null && !prompt) {
        asideFacts.addAll(FactExtractor.extract(passage.title()));
        vocabulary.addAll(Terms.of(passage.title()));
        lowerText.append(' ').append(normalise(passage.title())).append(' ');
      }
    }
  }

  private static final Pattern RANGE_JOIN = Pattern.compile("\\s*(?:[-–—]|to|through|and)\\s*");
  private static final Pattern RANGE_OPEN = Pattern.compile("(?i)\\b(between|from)\\s*$");

  /** Two neighbouring values joined by a dash, "to" or "through", or "between … and …". */
  static List<Fact[]> ranges(String sentence, List<Fact> facts) {
    List<Fact[]> out = new ArrayList<>();
    for (int k = 0; k + 1 < facts.size(); k++) {
      Fact low = facts.get(k);
      Fact high = facts.get(k + 1);
      if (low.start() < 0 || high.start() < low.end() || high.start() > sentence.length()) {
        continue;
      }
      String join = sentence.substring(low.end(), high.start());
      if (!RANGE_JOIN.matcher(join).matches()) {
        continue;
      }
      boolean opened = RANGE_OPEN.matcher(sentence.substring(0, low.start())).find();
      if (join.strip().equals("and") && !opened) {
        continue;
      }
      out.add(new Fact[] {low, high});
    }
    return out;
  }

  boolean hasAmount(BigDecimal amount) {
    for (BigDecimal a : amounts) {
      if (a.compareTo(amount) == 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether a phrase appears with word boundaries in the context (lower-cased, spaces collapsed). */
  boolean containsPhrase(String phrase) {
    String p = " " + normalise(phrase) + " ";
    return lowerText.indexOf(p) >= 0;
  }

  /** The entry, its neighbours in the same passage, and the passage title: what one passage says around it. */
  Set<String> windowTerms(int i) {
    Set<String> t = new HashSet<>(entries.get(i).terms);
    if (i > 0 && entries.get(i - 1).passage == entries.get(i).passage) {
      t.addAll(entries.get(i - 1).terms);
    }
    if (i + 1 < entries.size() && entries.get(i + 1).passage == entries.get(i).passage) {
      t.addAll(entries.get(i + 1).terms);
    }
    String title = entries.get(i).source.title();
    if (title != null) {
      t.addAll(Terms.of(title));
    }
    return t;
  }

  List<Fact> windowFacts(int i) {
    List<Fact> f = new ArrayList<>(entries.get(i).facts);
    if (i > 0 && entries.get(i - 1).passage == entries.get(i).passage) {
      f.addAll(entries.get(i - 1).facts);
    }
    if (i + 1 < entries.size() && entries.get(i + 1).passage == entries.get(i).passage) {
      f.addAll(entries.get(i + 1).facts);
    }
    return f;
  }

  String windowText(int i) {
    StringBuilder b = new StringBuilder(" ").append(normalise(entries.get(i).plain)).append(' ');
    if (i > 0 && entries.get(i - 1).passage == entries.get(i).passage) {
      b.append(normalise(entries.get(i - 1).plain)).append(' ');
    }
    if (i + 1 < entries.size() && entries.get(i + 1).passage == entries.get(i).passage) {
      b.append(normalise(entries.get(i + 1).plain)).append(' ');
    }
    String title = entries.get(i).source.title();
    if (title != null) {
      b.append(normalise(title)).append(' ');
    }
    return b.toString();
  }

  static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replace('’', '\'').replaceAll("[^\\p{L}\\p{N}'$€£%.-]+", " ")
        .replaceAll("(?<=\\p{L})\\.(?=\\s|$)", " ").replaceAll("\\s+", " ").strip();
  }

  /** Control characters and unpaired surrogates become spaces, so debris cannot break splitting. */
  static String clean(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean bad = (Character.isISOControl(c) && c != '\n' && c != '\t')
          || (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < s.length()
              && Character.isLowSurrogate(s.charAt(i + 1)))
              && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1))));
      if (bad && b == null) {
        b = new StringBuilder(s.length()).append(s, 0, i);
      }
      if (b != null) {
        b.append(bad ? ' ' : c);
      }
    }
    return b == null ? s : b.toString();
  }
}
