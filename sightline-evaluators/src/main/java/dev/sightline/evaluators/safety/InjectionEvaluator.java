package dev.sightline.evaluators.safety;

import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.EvaluationInput;
import dev.sightline.evaluators.OneScoreEvaluator;
import dev.sightline.model.Score;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flags prompt injection: text in the user's prompt (direct) or in retrieved passages and tool
 * results (indirect) that tries to override the model's instructions, extract the system prompt or
 * switch it into a jailbreak persona, including variants hidden with zero-width characters or
 * base64.
 */
public final class InjectionEvaluator extends OneScoreEvaluator {

  public static final String NAME = "injection";
  public static final String VERSION = "1.0";
  /** At or above this pattern weight a call is flagged. */
  static final double FLAG_AT = 0.5;
  private static final int MAX_CHARS = 200_000;
  private static final int MAX_PASSAGES = 200;

  private record Rule(String name, Pattern pattern, double weight) {}

  private static final String TARGET = "(instructions?|prompts?|rules|directions|guidelines|directives|context"
      + "|programming|guardrails|polic(y|ies))";
  private static final List<Rule> RULES = List.of(
      rule("instruction override", "\\b(ignore|disregard|forget|override|bypass|skip|drop)\\s+(all\\s+|any\\s+|every\\s+)?"
          + "(of\\s+)?(the\\s+|your\\s+|my\\s+|these\\s+|those\\s+)?(previous|prior|above|earlier|preceding|original"
          + "|system|initial|existing|developer|safety)\\s+(\\w+\\s+)?" + TARGET, 0.9),
      rule("instruction override", "\\b(ignore|disregard|forget)\\s+(everything|all)\\s+(you\\s+were\\s+told|above"
          + "|before|previously|i said before)", 0.85),
      rule("system prompt override", "\\b(disregard|ignore|override|replace)\\s+(the\\s+|your\\s+)?system\\s+"
          + "(prompt|message)", 0.9),
      rule("system prompt extraction", "\\b(reveal|show|print|repeat|output|display|leak|dump|tell me|give me"
          + "|what is|what are|share)\\s+(me\\s+)?(your|the)\\s+(full\\s+|exact\\s+|original\\s+|hidden\\s+|secret\\s+)?"
          + "(system prompt|system message|initial instructions|hidden instructions|instructions above"
          + "|original instructions|developer message)", 0.8),
      rule("jailbreak persona", "\\byou are (now )?(dan|stan|dude|aim)\\b|\\bdo anything now\\b|\\b(developer|god|jailbreak"
          + "|unrestricted|dan) mode\\b|\\bjailbroken\\b", 0.9),
      rule("role-play jailbreak", "\\b(pretend|imagine|act as if|roleplay|role-play)\\b[^.!?\\n]{0,80}\\b(no|without|free of"
          + "|not bound by)\\s+(any\\s+)?(restrictions|rules|filters|limits|guidelines|ethic\\w*|censorship|policies)",
          0.8),
      rule("role-play jailbreak", "\\b(act as|you are now|from now on you are)\\s+(an?\\s+)?(unfiltered|unrestricted"
          + "|uncensored|evil|amoral)\\b", 0.85),
      rule("forced agreement", "\\b(agree|comply) with (everything|anything|whatever) (the )?(customer|user|i|they)"
          + "\\s+(says?|asks?|wants?)", 0.85),
      rule("forced statement", "\\b(end|finish|conclude) (each|every|all) (of your )?(responses?|answers?|replies|messages)"
          + " with\\b", 0.7),
      rule("new instructions", "\\b(new|updated|real|actual) (system )?instructions\\s*:|\\bfrom now on,? (you|your)"
          + " (will|must|shall|are)\\b", 0.6),
      rule("chat template injection", "<\\|im_start\\|>\\s*system|\\[/?INST\\]|<<SYS>>|</?system>", 0.8),
      rule("hidden instruction", "\\b(do not|don't) (tell|inform|mention (this )?to) the (user|customer)\\b", 0.6));

  private static Rule rule(String name, String pattern, double weight) {
    return new Rule(name, Pattern.compile(pattern, Pattern.CASE_INSENSITIVE), weight);
  }

  private static final Pattern INVISIBLE = Pattern.compile("[\\u200B-\\u200F\\u2060-\\u2064\\uFEFF\\u00AD\\u180E]"
      + "|[\\x{E0000}-\\x{E007F}]");
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]{20,}={0,2}");

  /** The strongest finding in one piece of text. */
  private record Finding(String rule, String phrase, double weight, String how) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  protected Score judge(EvaluationInput input, String traceId, String spanId) {
    List<String> places = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    if (!input.prompt().isBlank()) {
      places.add("the prompt");
      texts.add(input.prompt());
    }
    int budget = MAX_CHARS;
    for (int i = 0; i < input.context().size() && i < MAX_PASSAGES; i++) {
      ContextPassage p = input.context().get(i);
      if (p == null || p.text().isBlank() || "user".equals(p.source()) && p.text().equals(input.prompt())) {
        continue;
      }
      places.add((p.source() == null ? "context" : p.source()) + " passage " + i
          + (p.title() == null ? "" : " (" + Scan.shorten(p.title(), 60) + ")"));
      texts.add(p.text());
    }
    if (texts.isEmpty()) {
      return notEvaluated(traceId, spanId, "no prompt or context to scan");
    }
    Finding best = null;
    String bestPlace = null;
    int hits = 0;
    for (int i = 0; i < texts.size() && budget > 0; i++) {
      String text = Scan.clean(texts.get(i), budget);
      budget -= text.length();
      Finding f = scan(text);
      if (f != null) {
        hits++;
        if (best == null || f.weight() > best.weight()) {
          best = f;
          bestPlace = places.get(i);
        }
      }
    }
    if (best == null || best.weight() < FLAG_AT) {
      String note = best == null ? "no injection pattern found" : "weak signal: " + best.rule() + " in " + bestPlace;
      return new Score(traceId, spanId, NAME, best == null ? 1.0 : 1 - best.weight(), "ok", false, note,
          Score.SOURCE_EVALUATOR, NAME, VERSION, null, now());
    }
    double confidence = Math.min(0.99, best.weight() + 0.03 * (hits - 1));
    String explanation = best.rule() + " in " + bestPlace + ": \"" + Scan.shorten(best.phrase(), 120) + "\""
        + (best.how().isEmpty() ? "" : " (" + best.how() + ")");
    return new Score(traceId, spanId, NAME, 1 - confidence, "flagged", true, explanation, Score.SOURCE_EVALUATOR,
        NAME, VERSION, null, now());
  }

  /** The strongest pattern in the text as written, with invisible characters removed, and in base64 runs. */
  static Finding scan(String text) {
    Finding f = match(text, "");
    Matcher inv = INVISIBLE.matcher(text);
    if (inv.find()) {
      Finding hidden = match(inv.replaceAll(""), "hidden with zero-width characters");
      if (hidden != null && (f == null || hidden.weight() > f.weight())) {
        f = hidden;
      } else if (f == null) {
        f = new Finding("invisible characters", "zero-width characters in the text", 0.3, "");
      }
    }
    Matcher b64 = BASE64.matcher(text);
    int tries = 0;
    while (b64.find() && tries++ < 50) {
      String decoded = decode(b64.group());
      if (decoded != null) {
        Finding enc = match(decoded, "base64-encoded");
        if (enc != null && (f == null || enc.weight() > f.weight())) {
          f = enc;
        }
      }
    }
    return f;
  }

  private static Finding match(String text, String how) {
    Finding best = null;
    for (Rule r : RULES) {
      Matcher m = r.pattern().matcher(text);
      if (m.find() && (best == null || r.weight() > best.weight())) {
        best = new Finding(r.name(), m.group(), r.weight(), how);
      }
    }
    return best;
  }

  private static String decode(String run) {
    try {
      byte[] bytes = Base64.getDecoder().decode(run.length() % 4 == 0 ? run : run + "==".substring(0,
          (4 - run.length() % 4) % 4 == 3 ? 0 : (4 - run.length() % 4) % 4));
      String s = new String(bytes, StandardCharsets.UTF_8);
      long printable = s.chars().filter(c -> c >= 32 && c < 127 || c == '\n').count();
      return printable >= s.length() * 0.9 ? s : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

}
