package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Terms;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds an answer clause that says the opposite of the context: a negation on one side only, about
 * a word both sides share ("returns are accepted" against "swimwear cannot be returned"), or a word
 * whose antonym the matching context sentence uses ("optional" against "required").
 */
final class Contradiction {

  /** "No," or "Yes." opening an answer; "No appointment is needed" keeps its "no". */
  private static final Pattern ANSWER_PARTICLE = Pattern.compile(
      "^(no|yes|nope|yep|correct|right)\\s*([,.!:;]\\s*|$)", Pattern.CASE_INSENSITIVE);

  private final ContextIndex context;
  private final SimilarityModel similarity;

  Contradiction(ContextIndex context, SimilarityModel similarity) {
    this.context = context;
    this.similarity = similarity;
  }

  /** Why the clause contradicts the context sentence it matches best; null if it does not. */
  String check(String clause) {
    String c = ANSWER_PARTICLE.matcher(clause.strip()).replaceFirst("");
    Set<String> terms = new HashSet<>(Terms.of(c));
    if (terms.size() < 2) {
      return null;
    }
    boolean negative = Polarity.negative(c);
    int best = -1;
    double bestSim = 0;
    double[] sims = new double[context.entries.size()];
    for (int i = 0; i < sims.length; i++) {
      sims[i] = similarity.lexicalOwn(terms, i);
      if (sims[i] > bestSim) {
        bestSim = sims[i];
        best = i;
      }
    }
    if (best >= 0 && bestSim >= Tuning.POLARITY_SIMILARITY) {
      ContextIndex.Entry e = context.entries.get(best);
      // "costs extra" agrees with "is not included", "aren't allowed during the peak" with "allowed outside it"
      boolean impliedAgreement = !negative && e.negative() && Polarity.implicitlyNegative(c)
          || negative && !e.negative() && Polarity.implicitlyNegative(e.plain());
      if (negative != e.negative() && !impliedAgreement && aboutSharedWord(c, terms, e)
          && !agreeingAlternative(c, terms, e, sims, negative)) {
        return "the context says the opposite: “" + shortened(e.plain()) + "”";
      }
      String antonym = Polarity.antonymClash(c, e.plain());
      if (antonym != null) {
        return "the context says " + antonym + ": “" + shortened(e.plain()) + "”";
      }
    }
    return negative || Polarity.implicitlyNegative(c) ? null : denied(c, terms);
  }

  /** The negation concerns something both say: "not delivered" says nothing against "counts as lost". */
  private static boolean aboutSharedWord(String clause, Set<String> clauseTerms, ContextIndex.Entry e) {
    Set<String> negated = e.negative() ? Polarity.negatedTerms(e.plain()) : Polarity.negatedTerms(clause);
    Set<String> other = e.negative() ? clauseTerms : e.terms();
    for (String t : negated) {
      if (other.contains(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Another context sentence close to the clause with the clause's polarity, negating the same
   * thing when negative: "spills aren't covered" agrees with "liquid spills are not covered" even
   * when "the warranty covers defects" shares more words.
   */
  private boolean agreeingAlternative(String clause, Set<String> terms, ContextIndex.Entry best, double[] sims,
      boolean negative) {
    Set<String> negated = negative ? Polarity.negatedTerms(clause) : Set.of();
    // a positive alternative must state what the best sentence negates ("a daily cap", not just "per day")
    Set<String> denied = new HashSet<>(negative ? Set.of() : Polarity.negatedTerms(best.plain()));
    denied.retainAll(terms);
    for (int i = 0; i < sims.length; i++) {
      ContextIndex.Entry e = context.entries.get(i);
      if (sims[i] < Tuning.AGREEING_SIMILARITY || e.negative() != negative) {
        continue;
      }
      if (!negative) {
        if (e.terms().containsAll(denied)) {
          return true;
        }
        continue;
      }
      for (String t : Polarity.negatedTerms(e.plain())) {
        if (negated.contains(t)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * A positive clause that restates most of a negative context sentence, including what it negates:
   * "the warranty covers liquid spills" against "liquid spills are not covered".
   */
  private String denied(String clause, Set<String> terms) {
    for (int i = 0; i < context.entries.size(); i++) {
      ContextIndex.Entry e = context.entries.get(i);
      if (!e.negative() || "prompt".equals(e.source().source())
          || similarity.containment(terms, i) < Tuning.DENIAL_CONTAINMENT) {
        continue;
      }
      Set<String> negated = Polarity.negatedTerms(e.plain());
      negated.retainAll(terms);
      if (negated.isEmpty() || statedPositively(negated, terms, similarity.lexicalOwn(terms, i))) {
        continue;
      }
      return "the context says the opposite: “" + shortened(e.plain()) + "”";
    }
    return null;
  }

  /**
   * A positive context sentence that says what the clause says, the negated words included, and
   * matches the clause at least as well as the negative one ("COVID boosters require an
   * appointment" does not excuse "flu shots require an appointment").
   */
  private boolean statedPositively(Set<String> negated, Set<String> terms, double negativeMatch) {
    for (int i = 0; i < context.entries.size(); i++) {
      ContextIndex.Entry e = context.entries.get(i);
      if (!e.negative() && e.terms().containsAll(negated) && similarity.lexicalOwn(terms, i) >= negativeMatch) {
        return true;
      }
    }
    return false;
  }

  private static String shortened(String s) {
    return s.length() <= 160 ? s : s.substring(0, 159) + "…";
  }
}
