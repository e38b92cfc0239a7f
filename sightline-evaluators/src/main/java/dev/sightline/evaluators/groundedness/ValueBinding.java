package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.Fact.Kind;
import dev.sightline.evaluators.text.FactExtractor;
import dev.sightline.evaluators.text.Terms;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Catches a value given to the wrong case: the context binds each value to what it is said of
 * ("$129 for the X200 and $179 for the X300", "Basic: 5 users; Pro: 50 users", one plan's
 * passage and another's), and an answer that names one case with another case's value is wrong
 * even though the value itself appears in the context.
 */
final class ValueBinding {

  /** Characters that end the parallel part of a sentence: each side names its own case. */
  private static final String HARD_BOUNDARIES = ";,()\n•";

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
      Set<String> clauseTerms = words(clause, facts);
      clauseTerms.remove(f.key());
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
          name = namesOtherCase(clauseTerms, h, g);
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
   * A clause word that the contender's case has and the holder's lacks, provided no clause word is
   * the holder's alone: the clause names the contender's case, not the holder's.
   */
  private String namesOtherCase(Set<String> clause, int[] holder, int[] contender) {
    Set<String>[] scopes = scopes(holder, contender);
    String named = null;
    for (String t : clause) {
      boolean inH = scopes[0].contains(t);
      boolean inG = scopes[1].contains(t);
      if (inH && !inG) {
        return null;
      }
      if (inG && !inH && named == null) {
        named = t;
      }
    }
    return named;
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
      return new Set[] {privateWords(eh, h[1], g[1]), privateWords(eh, g[1], h[1])};
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
  private static Set<String> privateWords(ContextIndex.Entry e, int k, int other) {
    String s = e.plain();
    Fact v = e.facts().get(k);
    Fact o = e.facts().get(other);
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

  /** The space nearest {@code mid} between {@code lo} and {@code hi}, so no word is cut in two. */
  private static int wordBreak(String s, int mid, int lo, int hi) {
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
