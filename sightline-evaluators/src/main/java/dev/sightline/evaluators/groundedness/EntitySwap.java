package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.Fact.Kind;
import dev.sightline.evaluators.text.FactExtractor;
import dev.sightline.evaluators.text.Terms;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Catches a name put in another name's place without any value to give it away: "students get 50%
 * off the Family plan" when the context says it of the Individual plan, "flu shots on Wednesdays"
 * when they are on Tuesdays. The clause without its name must match a context sentence that names
 * another case far better than any sentence that names the clause's own.
 */
final class EntitySwap {

  private final ContextIndex context;
  private final SimilarityModel similarity;

  EntitySwap(ContextIndex context, SimilarityModel similarity) {
    this.context = context;
    this.similarity = similarity;
  }

  /** Why a name of the clause takes what the context says of another name; null when none does. */
  String check(String clause) {
    if (Polarity.negative(clause)) {
      return null; // "X is not supported" names what is left out, not a case
    }
    List<Fact> facts = FactExtractor.extract(clause);
    Set<String> clauseTerms = new HashSet<>(Terms.of(clause));
    for (Fact f : facts) {
      if (f.kind() != Kind.ENTITY) {
        continue;
      }
      List<String> name = Terms.of(f.surface());
      if (name.isEmpty() || !context.vocabulary.containsAll(name)) {
        continue; // a name the context lacks is reported as absent
      }
      Set<String> rest = new HashSet<>(clauseTerms);
      name.forEach(rest::remove);
      if (rest.size() < 2) {
        continue;
      }
      int other = -1;
      double otherSim = 0;
      double ownSim = 0;
      for (int i = 0; i < context.entries.size(); i++) {
        ContextIndex.Entry e = context.entries.get(i);
        if ("prompt".equals(e.source().source())) {
          continue;
        }
        double sim = similarity.lexicalOwn(rest, i);
        if (names(e, name)) {
          ownSim = Math.max(ownSim, sim);
        } else if (sim > otherSim) {
          otherSim = sim;
          other = i;
        }
      }
      if (other < 0 || otherSim < Tuning.ENTITY_SWAP_SIMILARITY || otherSim - ownSim < Tuning.ENTITY_SWAP_LEAD) {
        continue;
      }
      ContextIndex.Entry o = context.entries.get(other);
      if (!othersAgree(facts, f, other)) {
        continue; // the clause's other values place it elsewhere ("Version 4.2.0 requires Java 17")
      }
      String instead = o.negative() ? null : otherName(o, clauseTerms, clause, f);
      if (instead != null) {
        return "the context says this of " + instead + ", not " + f.surface() + ": “"
            + shortened(context.entries.get(other).plain()) + "”";
      }
    }
    return null;
  }

  /** Whether the clause's other values stated in the context are stated around the other sentence too. */
  private boolean othersAgree(List<Fact> facts, Fact name, int other) {
    List<Fact> around = context.windowFacts(other);
    String title = context.entries.get(other).source().title();
    if (title != null) {
      around.addAll(FactExtractor.extract(title));
    }
    for (Fact f : facts) {
      if (f == name || FactMatch.soft(f) || !context.factKeys.contains(f.key())) {
        continue;
      }
      boolean found = false;
      for (Fact a : around) {
        found |= FactMatch.same(f, a);
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  /** Whether the sentence or its passage's title names the case. */
  private static boolean names(ContextIndex.Entry e, List<String> name) {
    if (e.terms().containsAll(name)) {
      return true;
    }
    String title = e.source().title();
    return title != null && Terms.of(title).containsAll(name);
  }

  /**
   * A name of the context sentence that the clause does not use and that is of the same sort as the
   * clause's name: the same word follows both ("Individual plan", "Family plan"), the same content
   * word leads both ("PPO members", "HMO members"), or both are weekdays or months.
   */
  private static String otherName(ContextIndex.Entry e, Set<String> clauseTerms, String clause, Fact mine) {
    String[] around = around(clause, mine);
    for (Fact c : e.facts()) {
      if (c.kind() != Kind.ENTITY || Terms.of(c.surface()).isEmpty()
          || clauseTerms.containsAll(Terms.of(c.surface()))) {
        continue;
      }
      String[] theirs = around(e.plain(), c);
      boolean sameSort = !around[1].isEmpty() && around[1].equals(theirs[1])
          || !around[0].isEmpty() && around[0].equals(theirs[0]) && !Terms.of(around[0]).isEmpty()
          || CALENDAR.matcher(mine.surface()).matches() && CALENDAR.matcher(c.surface()).matches();
      if (sameSort) {
        return c.surface();
      }
    }
    return null;
  }

  private static final Pattern CALENDAR = Pattern.compile(
      "(?i)(mon|tues|wednes|thurs|fri|satur|sun)days?|january|february|march|april|june|july|august|september"
          + "|october|november|december");

  /** The words right before and right after a fact, lower case, singular ("" at an edge or a break). */
  private static String[] around(String s, Fact f) {
    Matcher before = Pattern.compile("([\\p{L}-]+)\\s+$").matcher(s.substring(0, f.start()));
    Matcher after = Pattern.compile("^\\s+([\\p{L}-]+)").matcher(s.substring(f.end()));
    return new String[] {before.find() ? Terms.stem(before.group(1).toLowerCase(Locale.ROOT)) : "",
        after.find() ? Terms.stem(after.group(1).toLowerCase(Locale.ROOT)) : ""};
  }

  private static String shortened(String s) {
    return s.length() <= 160 ? s : s.substring(0, 159) + "…";
  }
}
