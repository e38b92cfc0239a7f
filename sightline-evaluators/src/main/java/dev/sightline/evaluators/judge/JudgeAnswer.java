package dev.sightline.evaluators.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the judge answered, read defensively: a Chat Completions response whose message must be the
 * JSON verdict asked for, one per answer sentence. Anything else (prose, a partial list, wrong
 * numbering that cannot be mended) is a failure with a reason, never a guess.
 *
 * @param verdicts one per answer sentence, in order; empty on failure
 * @param model the model that answered (the response's {@code model}), or null when it did not say
 * @param failure why there are no verdicts, or null
 */
record JudgeAnswer(List<Verdict> verdicts, String model, String failure) {
  static final String NOT_JSON = "the judge's answer was not the JSON asked for";
  private static final int MAX_REASON = 500;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** @param supported true, false, or null when the judge found no claim in the sentence */
  record Verdict(Boolean supported, String reason) {}

  boolean ok() {
    return failure == null;
  }

  static JudgeAnswer failed(String reason, String model) {
    return new JudgeAnswer(List.of(), model, reason);
  }

  /** Reads a Chat Completions response body for {@code sentences} answer sentences. */
  static JudgeAnswer fromCompletion(String body, int sentences) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (Exception e) {
      return failed("the judge's response was not a Chat Completions JSON object", null);
    }
    if (root == null || !root.isObject()) {
      return failed("the judge's response was not a Chat Completions JSON object", null);
    }
    String model = root.path("model").isTextual() ? root.get("model").asText() : null;
    JsonNode choice = root.path("choices").path(0);
    JsonNode message = choice.path("message");
    if (message.path("refusal").isTextual() && !message.get("refusal").asText().isBlank()) {
      return failed("the judge refused: " + shorten(message.get("refusal").asText(), 200), model);
    }
    if (!message.path("content").isTextual() || message.get("content").asText().isBlank()) {
      return failed("the judge's response had no message content", model);
    }
    JudgeAnswer a = fromContent(message.get("content").asText(), sentences);
    if (!a.ok() && "length".equals(choice.path("finish_reason").asText())) {
      return failed(a.failure + " (it was cut off at the model's output token limit)", model);
    }
    return new JudgeAnswer(a.verdicts, model, a.failure);
  }

  /** Reads the judge's message: the JSON object, possibly inside a code fence or between words. */
  static JudgeAnswer fromContent(String content, int sentences) {
    JsonNode root = extractJson(content == null ? "" : content);
    if (root == null) {
      return failed(NOT_JSON, null);
    }
    JsonNode entries = root.isArray() ? root : root.path("sentences");
    if (!entries.isArray()) {
      return failed(NOT_JSON + " (no \"sentences\" list)", null);
    }
    if (entries.isEmpty()) {
      return failed("the judge's answer had no verdicts", null);
    }
    List<Integer> indexes = new ArrayList<>();
    List<Verdict> given = new ArrayList<>();
    boolean anyIndex = false;
    for (JsonNode e : entries) {
      if (!e.isObject() || !e.has("supported")) {
        continue; // an entry without a verdict says nothing
      }
      Boolean supported = verdict(e.get("supported"));
      if (supported == null && !e.get("supported").isNull()) {
        continue; // "maybe" and the like: not a verdict
      }
      Integer index = index(e.get("index"));
      anyIndex |= index != null;
      indexes.add(index);
      given.add(new Verdict(supported, reason(e)));
    }
    if (!anyIndex && given.size() == sentences) {
      for (int i = 0; i < sentences; i++) {
        indexes.set(i, i); // unnumbered but complete: in order, as asked
      }
    } else if (numberedFromOne(indexes, sentences)) {
      indexes.replaceAll(i -> i == null ? null : i - 1);
    }
    Verdict[] out = new Verdict[sentences];
    int filled = 0;
    for (int k = 0; k < given.size(); k++) {
      Integer i = indexes.get(k);
      if (i != null && i >= 0 && i < sentences && out[i] == null) {
        out[i] = given.get(k);
        filled++;
      }
    }
    if (filled < sentences) {
      return failed(NOT_JSON + ": it judged " + filled + " of the " + sentences + " sentences", null);
    }
    return new JudgeAnswer(Arrays.asList(out), null, null);
  }

  /** Small models often number from 1 although told 0: every index in 1..n and none 0 means that. */
  private static boolean numberedFromOne(List<Integer> indexes, int sentences) {
    boolean seen = false;
    for (Integer i : indexes) {
      if (i == null || i < 1 || i > sentences) {
        return false;
      }
      seen |= i == sentences;
    }
    return seen;
  }

  private static JsonNode extractJson(String content) {
    String s = content.strip();
    int from = -1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '{' || c == '[') {
        from = i;
        break;
      }
    }
    int to = Math.max(s.lastIndexOf('}'), s.lastIndexOf(']'));
    if (from < 0 || to <= from) {
      return null;
    }
    try {
      JsonNode n = JSON.readTree(s.substring(from, to + 1));
      return n != null && (n.isObject() || n.isArray()) ? n : null;
    } catch (Exception e) {
      return null;
    }
  }

  private static Boolean verdict(JsonNode v) {
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isTextual()) {
      return switch (v.asText().trim().toLowerCase(Locale.ROOT)) {
        case "true", "yes", "supported" -> true;
        case "false", "no", "unsupported", "not supported", "contradicted" -> false;
        default -> null;
      };
    }
    return null;
  }

  private static Integer index(JsonNode v) {
    if (v == null) {
      return null;
    }
    if (v.canConvertToInt() && v.isIntegralNumber()) {
      return v.asInt();
    }
    if (v.isTextual()) {
      try {
        return Integer.parseInt(v.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  private static String reason(JsonNode e) {
    JsonNode r = e.get("reason");
    return r != null && r.isTextual() ? shorten(r.asText().strip(), MAX_REASON) : "";
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : JudgePrompt.cut(s, max - 1) + "…";
  }
}
