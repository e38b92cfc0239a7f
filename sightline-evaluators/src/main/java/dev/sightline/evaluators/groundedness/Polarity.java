package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Terms;
import java.util.Arrays;
import java.util.List;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a sentence is negative overall: an odd number of negations ("not", "never", "cannot",
 * "non-refundable", "excluded"…), after removing idioms whose "no" negates nothing
 * ("no more than", "at no extra cost").
 */
final class Polarity {

  private static final Pattern IDIOMS = Pattern.compile(
      "\\b(no|not) (more|less|later|earlier|fewer|longer than|sooner) than\\b|\\bnot only\\b|\\bno matter\\b"
          + "|\\b(at )?no (extra |additional |added )?(cost|charge|fee)s?\\b|\\bwithout (any )?(extra |additional )?"
          + "(cost|charge|fee|penalty|penalties)s?\\b|\\bno problem\\b|\\bwhether or not\\b|\\bif not\\b"
          + "|\\bnot sure\\b|\\bno minimum\\b|\\bno questions asked\\b|\\bnon-stop\\b|\\bno-cost\\b|\\bno-fee\\b"
          // "listens on 7443, not 7070": a contrast sets a wrong value aside, it negates no statement
          + "|,\\s*(?:and\\s+)?not\\s+(?=[^,.;!?\\s]+(?:\\s+[^,.;!?\\s]+)?\\s*(?:[,.;!?]|$))");
  private static final Pattern NEGATIONS = Pattern.compile(
      "\\b(not|no|never|none|nothing|nobody|neither|nor|cannot|can't|won't|don't|doesn't|didn't|isn't|aren't"
          + "|wasn't|weren't|unless|except|exception|excluding|shouldn't|mustn't|couldn't|wouldn't|haven't|hasn't|unable|without|excluded|exclude"
          + "|excludes|ineligible|prohibited|forbidden|void|unavailable|denied|impossible|non-[a-z]+|un(?:refundable"
          + "|supported|available|limited|paid)|[a-z]+-free|discontinued|drop(?:s|ped)? support)\\b");

  // Word pairs where one side in the answer and the other in the context is a contradiction.
  private static final String[][] ANTONYMS = {{"newest", "oldest"}, {"optional", "required"},
      {"optional", "mandatory"}, {"increase", "decrease"}, {"included", "excluded"}, {"minimum", "maximum"},
      {"earliest", "latest"}, {"higher", "lower"}, {"above", "below"}, {"weekdays", "weekends"},
      {"before", "after"}, {"allowed", "prohibited"}, {"online", "offline"}, {"automatic", "manual"},
      {"automatically", "manually"}, {"public", "private"}, {"insensitive", "sensitive"}, {"free", "paid"},
      {"monthly", "annually"}, {"daily", "weekly"}, {"first", "last"}, {"open", "closed"}, {"included", "extra"},
      {"temporary", "permanent"}, {"domestic", "international"}, {"enabled", "disabled"}, {"enable", "disable"},
      {"accepted", "rejected"}, {"inbound", "outbound"}, {"refundable", "final"}};

  /**
   * Words that carry a negation in their meaning without a negation word: "a hold blocks the
   * release" says what "cannot be released while on hold" says, "past its due date" what "unpaid
   * after the due date" says, "costs extra" what "is not included" says.
   */
  private static final Pattern IMPLICIT_NEGATIONS = Pattern.compile(
      "\\b(block(s|ed|ing)?|prevent(s|ed|ing)?|stop(s|ped|ping)?|bar(s|red)?|den(y|ies)|refuse[sd]?|reject(s|ed)?"
          + "|lose|loses|lost|forfeit(s|ed)?|expire[sd]?|overdue|past (its |the |their )?due|(costs?|charged?) extra"
          + "|extra (cost|charge|fee)s?|surcharge[sd]?|only|restricted|limited to|outside|beyond|instead of|rather than"
          + "|lack(s|ing)?|miss(es|ed|ing)?|fail(s|ed)?|skip(s|ped)?|waived?)\\b");

  /** Idioms with a negation word that say something positive: "you don't pay extra" = it is included. */
  private static final Pattern POSITIVE_IDIOMS = Pattern.compile(
      "\\b(don't|do not|doesn't|does not|won't|will not|never) (have to )?(pay|cost|charge)( you)? (anything )?"
          + "(extra|more|additional)\\b|\\bno (extra|additional) (charge|cost|fee)s?\\b");

  private Polarity() {}

  /** Whether the sentence negates something without a negation word (see IMPLICIT_NEGATIONS). */
  static boolean implicitlyNegative(String sentence) {
    return IMPLICIT_NEGATIONS.matcher(sentence.toLowerCase(Locale.ROOT).replace('’', '\'')).find();
  }

  /** "newest … oldest": a word of the answer whose opposite the context uses instead; null if none. */
  static String antonymClash(String answer, String context) {
    if (negative(answer) != negative(context)) {
      return null; // "costs extra" against "is not included": a negated antonym agrees
    }
    Set<String> a = words(positiveForms(answer));
    Set<String> c = words(positiveForms(context));
    for (String[] pair : ANTONYMS) {
      for (int k = 0; k < 2; k++) {
        String mine = pair[k];
        String theirs = pair[1 - k];
        if (a.contains(mine) && !a.contains(theirs) && c.contains(theirs) && !c.contains(mine)) {
          return "\"" + theirs + "\", not \"" + mine + "\"";
        }
      }
    }
    return null;
  }

  private static Set<String> words(String s) {
    return new HashSet<>(Arrays.asList(s.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")));
  }

  /**
   * The content words a sentence's negations apply to: the next few words after each cue ("not
   * delivered within" → deliver), or the word before "-free" ("commission-free" → commission).
   */
  static Set<String> negatedTerms(String sentence) {
    String s = sentence.toLowerCase(Locale.ROOT).replace('’', '\'');
    s = IDIOMS.matcher(s).replaceAll(" ");
    Set<String> out = new HashSet<>();
    Matcher m = NEGATIONS.matcher(s);
    while (m.find()) {
      String cue = m.group();
      if (cue.endsWith("-free") || cue.startsWith("non-") || cue.matches("un(refundable|supported|available|limited|paid)")) {
        // a negating affix applies to its own word only ("unpaid 14 days after" negates paid, not days)
        out.addAll(Terms.of(cue.replace("-free", "").replaceFirst("^non-", "").replaceFirst("^un", "")));
        continue;
      }
      if (cue.matches("excluded|prohibited|forbidden|unavailable|denied|ineligible|void|discontinued")) {
        // the cue follows what it applies to: "Pets are prohibited"
        out.addAll(lastTerms(s.substring(0, m.start()), 3));
      }
      if (cue.endsWith("-free")) {
        continue;
      }
      // the head of the negated phrase: the first content word within three words, and the word
      // right after it ("no product fee", "not delivered within" → deliver)
      String[] words = s.substring(m.end()).strip().split("[^\\p{L}\\p{N}'-]+", 5);
      for (int k = 0; k < Math.min(3, words.length); k++) {
        List<String> head = Terms.of(words[k]);
        if (!head.isEmpty()) {
          out.addAll(head);
          if (k + 1 < words.length) {
            out.addAll(Terms.of(words[k + 1]));
          }
          break;
        }
      }
    }
    return out;
  }

  private static List<String> lastTerms(String s, int n) {
    List<String> t = Terms.of(s);
    return t.subList(Math.max(0, t.size() - n), t.size());
  }

  /** Lower case, with "you don't pay extra" and "at no extra cost" read as "included". */
  private static String positiveForms(String sentence) {
    return POSITIVE_IDIOMS.matcher(sentence.toLowerCase(Locale.ROOT).replace('’', '\'')).replaceAll(" included ");
  }

  static boolean negative(String sentence) {
    String s = positiveForms(sentence);
    s = IDIOMS.matcher(s).replaceAll(" ");
    Matcher m = NEGATIONS.matcher(s);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n % 2 == 1;
  }
}
