package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.Fact.Kind;
import dev.sightline.evaluators.text.FactExtractor;
import dev.sightline.evaluators.text.Sentence;
import dev.sightline.evaluators.text.Terms;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks one answer sentence against a {@link ContextIndex}: its facts must appear in the context,
 * next to each other where the context pairs them; its polarity must agree with the context
 * sentence it matches best; commitments must be stated by the context; and it must overlap the
 * context enough not to be invented.
 */
final class ClaimChecker {

  private static final Pattern SMALL_TALK = Pattern.compile(
      "^(hi|hello|hey|dear|greetings|thanks|thank you|you're welcome|you are welcome|great question|good question"
          + "|sure|certainly|of course|absolutely|happy to help|glad to help|i hope (this|that) helps|hope (this|that) helps"
          + "|let me know|let us know|feel free|please let me know|please don't hesitate|don't hesitate|do not hesitate"
          + "|is there anything else|anything else|have a (great|nice|good|wonderful)|best regards|kind regards"
          + "|regards|cheers|i'd be happy|i would be happy|i'm happy to|i am happy to|i understand|i'm sorry"
          + "|sorry|good news|great news|here's what|here is what|here are|here's|in short|to summarize"
          + "|to sum up|i can help|i'd be glad|i checked|let me check|let me explain|thanks for|thank you for"
          + "|enjoy|safe travels|good luck|all the best|(that|it|this) (might|may|could) be worth|worth a look"
          + "|(that|it|this) (might|may|could|would) (be|come in) (handy|useful|helpful))\\b");
  private static final Pattern COMMITMENT = Pattern.compile(
      "\\b(refund(s|ed|able)?|reimburs\\w*|guarantee[sd]?|free of charge|for free|free|complimentary|waive[sd]?"
          + "|compensat\\w*|legally binding|money back|cash back|credits?|discount(s|ed)?|voucher"
          + "|price match\\w*|promise[sd]?|no charge|at no (extra |additional )?cost)\\b");
  private static final Pattern FREE_IN_CONTEXT = Pattern.compile(
      "\\b(free|complimentary|no (extra |additional )?(charge|cost|fee)|included|without (any )?(extra )?charge"
          + "|waive[sd]?|not charged|at no cost)\\b");

  private final ContextIndex context;
  private final List<Fact> answerFacts;
  private final Set<String> question;
  private final SimilarityModel similarity;
  private final ValueBinding binding;
  private final Contradiction contradiction;
  private final EntitySwap entitySwap;

  /**
   * @param question the terms of the user's question: words echoed from it are no invention (a
   *     contradiction of it is still caught by the fact and polarity checks)
   */
  ClaimChecker(ContextIndex context, SimilarityModel similarity, Set<String> question) {
    this(context, similarity, question, List.of());
  }

  /**
   * @param answerFacts the facts of the whole answer: counts it states ("two months") may multiply
   *     a context price into a total ("$10 in total" at "$5 per month")
   */
  ClaimChecker(ContextIndex context, SimilarityModel similarity, Set<String> question, List<Fact> answerFacts) {
    this.answerFacts = answerFacts;
    this.context = context;
    this.question = question;
    this.similarity = similarity;
    this.binding = new ValueBinding(context);
    this.contradiction = new Contradiction(context, similarity);
    this.entitySwap = new EntitySwap(context, similarity);
  }

  static boolean checkable(String plain, List<Fact> facts) {
    String s = plain.toLowerCase(Locale.ROOT).replace('’', '\'').strip();
    if (s.endsWith("?")) {
      return false;
    }
    List<String> terms = Terms.of(s);
    if (facts.isEmpty() && terms.size() < 2) {
      return false;
    }
    if (SMALL_TALK.matcher(s).find()) {
      // "Sure, refunds take 14 days." still states something: only small talk without facts is skipped
      String rest = SMALL_TALK.matcher(s).replaceFirst("").replaceFirst("^[\\s,!.:;-]+", "");
      return !facts.isEmpty() || (Terms.of(rest).size() >= 3 && !s.endsWith(":") && !s.startsWith("let me")
          && !s.matches("^(that|it|this) (might|may|could|would) .*")
          && !s.startsWith("feel free") && !s.contains("anything else") && !s.startsWith("hope")
          && !s.startsWith("i hope"));
    }
    return !(s.endsWith(":") && facts.isEmpty());
  }

  Verdict check(Sentence sentence, int answerIndex) {
    String plain = sentence.plain();
    List<Fact> facts = FactExtractor.extract(plain);
    if (!checkable(plain, facts)) {
      return new Verdict(sentence, null, List.of(), -1, 0);
    }
    List<String> terms = Terms.of(plain);
    Set<String> termSet = new HashSet<>(terms);
    List<String> reasons = new ArrayList<>();

    // (b) the best-matching context sentence: similar words, and the sentence's facts nearby
    int best = -1;
    double bestScore = -1;
    double bestSim = 0;
    for (int i = 0; i < context.entries.size(); i++) {
      double sim = similarity.similarity(answerIndex, termSet, i);
      double factShare = facts.isEmpty() ? 0 : factsIn(facts, i) / (double) facts.size();
      double score = sim + 0.5 * factShare;
      if (score > bestScore) {
        bestScore = score;
        best = i;
        bestSim = sim;
      }
    }
    // (a) exact facts
    for (Fact f : facts) {
      if (FactMatch.soft(f)) {
        continue;
      }
      if (!supportedAnywhere(f)) {
        reasons.add(f.surface() + " appears nowhere in the context" + saysInstead(f, best));
      }
    }
    // swapped facts: the sentence's fact sits in a context sentence about something else, and the
    // context sentence about what the answer names gives another value
    List<String> clauses = Clauses.of(plain);
    if (reasons.isEmpty()) {
      for (String clause : clauses) {
        String swap = binding.swapped(clause);
        if (swap != null) {
          reasons.add(swap);
          break;
        }
      }
    }
    if (reasons.isEmpty()) {
      for (String clause : clauses) {
        String swap = entitySwap.check(clause);
        if (swap != null) {
          reasons.add(swap);
          break;
        }
      }
    }
    // (c) polarity, clause by clause, against the context sentence each clause matches best
    if (reasons.isEmpty()) {
      for (String clause : clauses) {
        String flip = contradiction.check(clause);
        if (flip != null) {
          reasons.add(flip);
          break;
        }
      }
    }
    if (reasons.isEmpty()) {
      String clash = best < 0 ? null : Polarity.antonymClash(plain, context.windowText(best));
      if (clash != null) {
        reasons.add("the context says " + clash);
      }
    }
    // (d) commitments the context does not make
    Matcher cm = COMMITMENT.matcher(plain.toLowerCase(Locale.ROOT));
    while (reasons.isEmpty() && cm.find()) {
      String phrase = cm.group();
      if (!commitmentInContext(phrase)) {
        reasons.add("commits to \"" + phrase + "\", which the context does not offer");
      }
    }
    // (e) invented: a sentence unlike any context sentence, or a clause mostly made of new words
    // a sentence that only restates the user's question in their own words invents nothing
    if (reasons.isEmpty() && facts.isEmpty() && bestSim < Tuning.INVENTED_SIMILARITY
        && termSet.stream().filter(t -> !question.contains(t)).count() >= 2) {
      reasons.add("nothing in the context states this (best match similarity "
          + String.format(Locale.ROOT, "%.2f", bestSim) + ")");
    }
    if (reasons.isEmpty()) {
      for (String clause : clauses) {
        Set<String> ct = new HashSet<>(Terms.of(clause));
        List<String> unknown = new ArrayList<>();
        for (String t : ct) {
          if (!context.vocabulary.contains(t) && !question.contains(t)) {
            unknown.add(t);
          }
        }
        if (ct.size() >= 3 && unknown.size() >= Tuning.INVENTED_UNKNOWN_TERMS
            && unknown.size() > ct.size() * (1 - Tuning.INVENTED_COVERAGE)) {
          reasons.add("“" + clause + "” is not in the context (new: " + String.join(", ",
              unknown.subList(0, Math.min(4, unknown.size()))) + ")");
          break;
        }
      }
    }
    return new Verdict(sentence, reasons.isEmpty(), List.copyOf(reasons), best, Math.max(0, Math.min(1, bestSim)));
  }

  private static int overlap(Set<String> a, Set<String> b) {
    int n = 0;
    for (String t : a) {
      if (b.contains(t)) {
        n++;
      }
    }
    return n;
  }

  private static String shortened(String s) {
    return s.length() <= 160 ? s : s.substring(0, 159) + "…";
  }

  private int factsIn(List<Fact> facts, int i) {
    int n = 0;
    for (Fact f : facts) {
      if (inWindow(f, i)) {
        n++;
      }
    }
    return n;
  }

  private boolean inWindow(Fact f, int i) {
    if (f.kind() == Kind.ENTITY) {
      String phrase = " " + ContextIndex.normalise(f.key().substring(7)) + " ";
      if (context.windowText(i).contains(phrase)) {
        return true;
      }
      return context.windowTerms(i).containsAll(Terms.of(f.key().substring(7)));
    }
    for (Fact w : context.windowFacts(i)) {
      if (FactMatch.same(f, w)) {
        return true;
      }
    }
    return false;
  }

  private boolean supportedAnywhere(Fact f) {
    if (context.factKeys.contains(f.key())) {
      return true;
    }
    if (f.kind() == Kind.ENTITY) {
      String name = f.key().substring(7);
      if (context.containsPhrase(name)) {
        return true;
      }
      List<String> t = Terms.of(name);
      if (t.isEmpty()) {
        return true;
      }
      for (ContextIndex.Entry e : context.entries) {
        if (e.terms().containsAll(t)) {
          return true;
        }
      }
      return false;
    }
    if (f.kind() == Kind.VERSION && context.containsPhrase(f.key().substring(8))) {
      return true;
    }
    for (ContextIndex.Entry e : context.entries) {
      for (Fact c : e.facts()) {
        if (FactMatch.same(f, c)) {
          return true;
        }
      }
    }
    for (Fact[] r : context.ranges) {
      if (FactMatch.within(f, r[0], r[1])) {
        return true;
      }
    }
    for (Fact c : context.asideFacts) {
      if (FactMatch.same(f, c)) {
        return true;
      }
    }
    return f.kind() == Kind.MONEY && derived(f);
  }

  /**
   * A sum the answer works out: a context amount times a count the answer states (2 × $5), or two
   * different context amounts added ($282 + $45), in the same currency.
   */
  private boolean derived(Fact total) {
    String currency = total.key().substring(total.key().lastIndexOf(' ') + 1);
    List<java.math.BigDecimal> prices = new ArrayList<>();
    for (ContextIndex.Entry e : context.entries) {
      for (Fact c : e.facts()) {
        if (c.kind() == Kind.MONEY && c.amount() != null && c.key().endsWith(" " + currency)) {
          prices.add(c.amount());
        }
      }
    }
    for (java.math.BigDecimal p : prices) {
      for (Fact n : answerFacts) {
        if (n.amount() != null && n.kind() != Kind.MONEY && n.kind() != Kind.PERCENT
            && n.amount().compareTo(java.math.BigDecimal.ONE) > 0 && n.amount().compareTo(java.math.BigDecimal.valueOf(100)) <= 0
            && p.multiply(n.amount()).compareTo(total.amount()) == 0) {
          return true;
        }
      }
      for (java.math.BigDecimal q : prices) {
        if (p.compareTo(q) != 0 && p.add(q).compareTo(total.amount()) == 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** ", it says 14 days": what the best-matching passage states of the same kind, if anything. */
  private String saysInstead(Fact f, int best) {
    if (best < 0) {
      return "";
    }
    for (Fact w : context.windowFacts(best)) {
      if (w.kind() == f.kind() || (f.kind() != Kind.ENTITY && w.kind() == Kind.NUMBER && f.kind() == Kind.NUMBER)) {
        return " (it says " + w.surface() + ")";
      }
    }
    return "";
  }

  private boolean commitmentInContext(String phrase) {
    String p = phrase.toLowerCase(Locale.ROOT);
    if (p.contains("money back") || p.contains("cash back")) {
      p = "refund";
    }
    if (p.contains("free") || p.contains("complimentary") || p.contains("no charge") || p.contains("no extra")
        || p.contains("no additional") || p.contains("at no")) {
      return FREE_IN_CONTEXT.matcher(context.lowerText).find();
    }
    for (String t : Terms.of(p)) {
      if (context.vocabulary.contains(t)) {
        return true;
      }
    }
    String root = p.length() > 6 ? p.substring(0, 6) : p;
    return context.lowerText.indexOf(root) >= 0;
  }
}
