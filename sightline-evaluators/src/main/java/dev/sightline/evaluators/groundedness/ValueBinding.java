package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.Fact.Kind;
import dev.sightline.evaluators.text.FactExtractor;
import dev.sightline.evaluators.text.Terms;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Catches a value given to the wrong case: the context binds each value to what it is said of
 * ("$129 for the X200 and $179 for the X300", "Basic: 5 users; Pro: 50 users", one plan's
 * passage and another's), and an answer that names one case with another case's value is wrong
 * even though the value itself appears in the context.
 */
final class ValueBinding {

  /** Characters that end the parallel part of a sentence: each side names its own case. */
  private static final String HARD_BOUNDARIES = ";,()\n•";

  private static final Pattern COORDINATOR = Pattern.compile(
      "\\s(and|or|but|while|whereas|versus|vs\\.?)\\s", Pattern.CASE_INSENSITIVE);

  /** What follows "unless" or "except" is an exception to the value, not the case it belongs to. */
  private static final Pattern EXCEPTION = Pattern.compile("\\b(unless|except|other than)\\b",
      Pattern.CASE_INSENSITIVE);

  /** Words that tell cases apart though they are no content words: "during" or "after probation". */
  private static final Pattern CASE_MARKERS = Pattern.compile("\\b(during|after|before|until|over|under|above|below)\\b",
      Pattern.CASE_INSENSITIVE);

  private static final Pattern VALUE_KEY = Pattern.compile("(number|money|percent|duration|date|time|version) .*");

  private final ContextIndex context;
  private final Map<Integer, Set<String>> passageTerms = new HashMap<>();

  ValueBinding(ContextIndex context) {
    this.context = context;
  }

  /** Why a value of the clause belongs to another case in the context; null when none does. */
  String swapped(String clause) {
    List<Fact> facts = FactExtractor.extract(clause);
    if (facts.isEmpty()) {
      return null;
    }
    for (Fact f : facts) {
      if (FactMatch.soft(f) || f.kind() == Kind.ENTITY || f.kind() == Kind.VERSION) {
        continue;
      }
      Set<String> clauseTerms = clauseWords(EXCEPTION.split(clause, 2)[0], facts, f);
      Set<String> names = names(facts);
      List<int[]> holders = new ArrayList<>();
      List<int[]> contenders = new ArrayList<>();
      boolean fromUser = false;
      for (int i = 0; i < context.entries.size(); i++) {
        ContextIndex.Entry e = context.entries.get(i);
        List<Fact> cf = e.facts();
        for (int k = 0; k < cf.size(); k++) {
          Fact c = cf.get(k);
          if (FactMatch.same(f, c)) {
            holders.add(new int[] {i, k});
            fromUser |= "prompt".equals(e.source().source());
          } else if (FactMatch.comparable(f, c) && !FactMatch.soft(c) && !"prompt".equals(e.source().source())
              && !statedIn(facts, c)) {
            contenders.add(new int[] {i, k});
          }
        }
      }
      if (holders.isEmpty() || fromUser) {
        continue; // absent (reported elsewhere) or stated by the user
      }
      for (int[] g : contenders) {
        String name = null;
        for (int[] h : holders) {
          name = namesOtherCase(clauseTerms, names, h, g);
          if (name == null) {
            break;
          }
        }
        if (name != null) {
          return f.surface() + " is what the context gives for another case; for \"" + name + "\" it says "
              + context.entries.get(g[0]).facts().get(g[1]).surface();
        }
      }
    }
    return null;
  }

  /**
   * A clause word that the contender's case has and the holder's lacks, when such words outweigh
   * those pointing the other way; names (capitalised names, codes, values) weigh double, since they
   * say which case is meant while other words may just be the value's wording ("annual").
   */
  private String namesOtherCase(Set<String> clause, Set<String> names, int[] holder, int[] contender) {
    Set<String>[] scopes = scopes(holder, contender);
    boolean apart = context.entries.get(holder[0]).passage() != context.entries.get(contender[0]).passage();
    Set<String> leadH = lead(holder, apart);
    Set<String> leadG = lead(contender, apart);
    String named = null;
    int forG = 0;
    int forH = 0;
    for (String t : clause) {
      boolean inH = scopes[0].contains(t);
      boolean inG = scopes[1].contains(t);
      if (inH && !inG) {
        forH += names.contains(t) || leadH.contains(t) ? 2 : 1;
      } else if (inG && !inH && !VALUE_KEY.matcher(t).matches()) {
        // another value of the clause beside the contender is no name of its case: the answer may
        // simply give both values ("€252 for 7 days", with 7 days beside another price too)
        forG += names.contains(t) || leadG.contains(t) ? 2 : 1;
        if (named == null || names.contains(t)) {
          named = t;
        }
      }
    }
    // a clear lead: when words point both ways, one word more is not enough, since a paraphrase
    // often drops or adds a word of either case
    return forG > forH && (forH == 0 || forG >= forH + 2) ? named : null;
  }

  /**
   * The words that lead up to a value in its sentence, and its passage's title: where a sentence
   * names its subject ("Gold plan has a $500 deductible"), while the words after a value often
   * only describe it ("$2,000 annual deductible").
   */
  private Set<String> lead(int[] value, boolean withTitle) {
    ContextIndex.Entry e = context.entries.get(value[0]);
    Fact v = e.facts().get(value[1]);
    Set<String> w = words(e.plain().substring(0, v.start()), List.of());
    if (withTitle && e.source().title() != null) {
      w.addAll(words(e.source().title(), List.of()));
    }
    return w;
  }

  /** The clause's words for value {@code f}: all but those nearer another of its values. */
  private static Set<String> clauseWords(String clause, List<Fact> facts, Fact f) {
    Set<String> w = words(clause, facts);
    w.remove(f.key());
    int k = facts.indexOf(f);
    for (int g = 0; g < facts.size(); g++) {
      Fact other = facts.get(g);
      if (g != k && !FactMatch.soft(other) && other.kind() != Kind.ENTITY) {
        Set<String> theirs = privateWords(clause, facts, g, k);
        theirs.removeAll(privateWords(clause, facts, k, g));
        w.removeAll(theirs);
        w.add(other.key());
      }
    }
    return w;
  }

  /** Words that name a case: those of capitalised names and codes, and values. */
  private static Set<String> names(List<Fact> facts) {
    Set<String> n = new HashSet<>();
    for (Fact f : facts) {
      n.add(f.key());
      if (f.kind() == Kind.ENTITY) {
        n.addAll(Terms.of(f.surface()));
      }
    }
    return n;
  }

  /**
   * What each value is said of, compared at the finest level where the two differ: the words
   * nearest each value within one sentence, the sentences within one passage, else the passages.
   */
  @SuppressWarnings("unchecked")
  private Set<String>[] scopes(int[] h, int[] g) {
    ContextIndex.Entry eh = context.entries.get(h[0]);
    ContextIndex.Entry eg = context.entries.get(g[0]);
    if (h[0] == g[0]) {
      return new Set[] {privateWords(eh.plain(), eh.facts(), h[1], g[1]),
          privateWords(eh.plain(), eh.facts(), g[1], h[1])};
    }
    if (eh.passage() == eg.passage()) {
      return new Set[] {sentenceWords(h[0]), sentenceWords(g[0])};
    }
    return new Set[] {passageWords(eh.passage()), passageWords(eg.passage())};
  }

  /**
   * The words of one sentence that belong to value {@code k} rather than value {@code other}: up to
   * the midpoint between the two values, never across a hard boundary; the words before the first
   * of two coordinated values ("cost $129 for A and $179 for B") are shared, not its own.
   */
  private static Set<String> privateWords(String s, List<Fact> facts, int k, int other) {
    Fact v = facts.get(k);
    Fact o = facts.get(other);
    int from;
    int to;
    if (v.start() < o.start()) {
      int mid = wordBreak(s, (v.end() + o.start()) / 2, v.end(), o.start());
      to = Math.min(mid, boundaryAfter(s, v.end()));
      boolean parallel = boundaryAfter(s, v.end()) < o.start();
      from = parallel ? boundaryBefore(s, v.start()) : v.start();
    } else {
      int mid = wordBreak(s, (o.end() + v.start()) / 2, o.end(), v.start());
      from = Math.max(mid, boundaryBefore(s, v.start()));
      to = boundaryAfter(s, v.end());
    }
    return words(s.substring(from, to), FactExtractor.extract(s.substring(from, to)));
  }

  /**
   * Where the words of two values part: before a coordinator between them ("$10,000 for personal
   * accounts | and $50,000 for business accounts"), else at the space nearest the midpoint.
   */
  private static int wordBreak(String s, int mid, int lo, int hi) {
    Matcher c = COORDINATOR.matcher(s).region(lo, hi);
    int at = -1;
    while (c.find()) {
      at = c.start();
    }
    if (at >= 0) {
      return at;
    }
    for (int d = 0; mid - d >= lo || mid + d < hi; d++) {
      if (mid + d < hi && Character.isWhitespace(s.charAt(mid + d))) {
        return mid + d;
      }
      if (mid - d >= lo && mid - d < s.length() && Character.isWhitespace(s.charAt(mid - d))) {
        return mid - d;
      }
    }
    return mid;
  }

  private static int boundaryAfter(String s, int from) {
    for (int i = from; i < s.length(); i++) {
      if (HARD_BOUNDARIES.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return s.length();
  }

  private static int boundaryBefore(String s, int from) {
    for (int i = from - 1; i >= 0; i--) {
      if (HARD_BOUNDARIES.indexOf(s.charAt(i)) >= 0) {
        return i + 1;
      }
    }
    return 0;
  }

  /** A sentence's words, with the sentence before it when it starts with a pronoun ("It includes…"). */
  private Set<String> sentenceWords(int i) {
    ContextIndex.Entry e = context.entries.get(i);
    Set<String> w = words(e.plain(), e.facts());
    if (i > 0 && context.entries.get(i - 1).passage() == e.passage()
        && e.plain().matches("(?i)^(it|they|this|these|that|its|their)\\b.*")) {
      ContextIndex.Entry prev = context.entries.get(i - 1);
      w.addAll(words(prev.plain(), prev.facts()));
    }
    return w;
  }

  private Set<String> passageWords(int passage) {
    return passageTerms.computeIfAbsent(passage, p -> {
      Set<String> w = new HashSet<>();
      for (ContextIndex.Entry e : context.entries) {
        if (e.passage() == p) {
          w.addAll(words(e.plain(), e.facts()));
          if (e.source().title() != null) {
            w.addAll(words(e.source().title(), List.of()));
          }
        }
      }
      return w;
    });
  }

  /**
   * Content words that can name a case, and the normalised values beside them ("the 2-year rate"
   * names its case by its duration); bare numbers are left to the values.
   */
  private static Set<String> words(String text, List<Fact> facts) {
    Set<String> w = new HashSet<>();
    Matcher m = CASE_MARKERS.matcher(text);
    while (m.find()) {
      w.add(m.group().toLowerCase(Locale.ROOT));
    }
    for (String t : Terms.of(text)) {
      if (!t.chars().allMatch(Character::isDigit)) {
        w.add(t);
      }
    }
    for (Fact f : facts) {
      if (!FactMatch.soft(f)) {
        w.add(f.key());
      }
    }
    return w;
  }

  private static boolean statedIn(List<Fact> facts, Fact c) {
    for (Fact f : facts) {
      if (FactMatch.same(f, c)) {
        return true;
      }
    }
    return false;
  }
}
