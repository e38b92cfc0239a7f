package dev.sightline.evaluators;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds what an evaluator judges from a stored trace: the call's answer and prompt from its
 * captured messages, and the context the answer should rest on: the system and user messages,
 * tool results in the conversation, and the outputs of the retrieval, rerank and tool spans of the
 * same trace that started before the call ended. Bounded: at most {@value #MAX_PASSAGES} passages
 * and {@value #MAX_CONTEXT_CHARS} characters of context.
 */
public final class ContextCollector {
  static final int MAX_PASSAGES = 200;
  static final int MAX_CONTEXT_CHARS = 1 << 20;
  private static final int MAX_PASSAGE_CHARS = 64 * 1024;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** OpenInference retriever documents, flattened as OTLP carries them (openinference semantic conventions). */
  private static final Pattern OI_DOCUMENT = Pattern.compile("retrieval\\.documents\\.(\\d+)\\.document\\.(content|id)");

  /**
   * Attributes that hold a retrieval, rerank or tool span's output, in order of preference:
   * OpenInference {@code output.value}, OTel GenAI {@code gen_ai.tool.call.result}, OpenLLMetry
   * {@code traceloop.entity.output}, Langfuse {@code langfuse.observation.output}, Vercel AI SDK
   * {@code ai.toolCall.result}.
   */
  private static final List<String> OUTPUT_KEYS = List.of("output.value", "gen_ai.tool.call.result",
      "traceloop.entity.output", "langfuse.observation.output", "ai.toolCall.result");

  private ContextCollector() {}

  /** The input for the call carried by {@code callSpan}, with context from {@code traceSpans} (may be empty). */
  public static EvaluationInput collect(Span callSpan, List<Span> traceSpans) {
    LlmCall call = callSpan.llm();
    Content content = call.content();
    List<ContextPassage> passages = new ArrayList<>();
    Budget budget = new Budget();
    String system = messagesText(content.systemInstructionsJson(), null);
    budget.add(passages, new ContextPassage("system", callSpan.spanId(), "system instructions", system));
    StringBuilder prompt = new StringBuilder();
    JsonNode input = parse(content.inputMessagesJson());
    if (input != null && input.isArray()) {
      for (JsonNode m : input) {
        String role = m.path("role").asText("");
        if (role.equals("system") || role.equals("developer")) {
          budget.add(passages, new ContextPassage("system", callSpan.spanId(), "system message", partsText(m, false)));
        } else if (role.equals("user")) {
          String text = partsText(m, false);
          appendLine(prompt, text);
          budget.add(passages, new ContextPassage("user", callSpan.spanId(), "user message", text));
          String tool = partsText(m, true);
          budget.add(passages, new ContextPassage("tool", callSpan.spanId(), "tool result", tool));
        } else if (role.equals("tool")) {
          String text = partsText(m, true);
          budget.add(passages, new ContextPassage("tool", callSpan.spanId(), "tool result",
              text.isEmpty() ? partsText(m, false) : text));
        }
        // earlier assistant turns are not evidence: a hallucination must not ground the next one
      }
    }
    long callEnd = callSpan.endEpochNanos();
    for (Span s : traceSpans) {
      if (s.spanId().equals(callSpan.spanId()) || s.startEpochNanos() > callEnd) {
        continue;
      }
      SpanCategory c = s.category();
      if (c == SpanCategory.RETRIEVAL || c == SpanCategory.RERANK || c == SpanCategory.TOOL) {
        String source = c == SpanCategory.TOOL ? "tool" : "retrieval";
        for (ContextPassage p : spanPassages(s, source)) {
          budget.add(passages, p);
        }
      }
    }
    String answer = messagesText(content.outputMessagesJson(), "assistant");
    return new EvaluationInput(call, answer, prompt.toString(), passages);
  }

  /** Documents of a retrieval span one passage each; else its output as one passage. */
  static List<ContextPassage> spanPassages(Span s, String source) {
    Map<String, Object> a = s.attributes();
    TreeMap<Integer, String[]> docs = new TreeMap<>();
    for (Map.Entry<String, Object> e : a.entrySet()) {
      Matcher m = OI_DOCUMENT.matcher(e.getKey());
      if (m.matches() && e.getValue() != null) {
        String[] d = docs.computeIfAbsent(Integer.parseInt(m.group(1)), k -> new String[2]);
        d[m.group(2).equals("content") ? 0 : 1] = String.valueOf(e.getValue());
      }
    }
    List<ContextPassage> out = new ArrayList<>();
    for (String[] d : docs.values()) {
      if (d[0] != null) {
        out.add(new ContextPassage(source, s.spanId(), d[1] != null ? d[1] : s.name(), d[0]));
      }
    }
    Object structured = a.get("retrieval.documents");
    if (out.isEmpty() && structured != null) {
      String text = leaves(JSON.valueToTree(structured));
      if (!text.isBlank()) {
        out.add(new ContextPassage(source, s.spanId(), s.name(), text));
      }
    }
    if (out.isEmpty()) {
      for (String key : OUTPUT_KEYS) {
        Object v = a.get(key);
        if (v != null) {
          String text = v instanceof String str ? textOf(str) : leaves(JSON.valueToTree(v));
          if (!text.isBlank()) {
            out.add(new ContextPassage(source, s.spanId(), s.name(), text));
            break;
          }
        }
      }
    }
    return out;
  }

  /** A string that may be JSON: its text leaves when it is, else itself. */
  private static String textOf(String s) {
    String t = s.strip();
    if (t.startsWith("{") || t.startsWith("[")) {
      JsonNode n = parse(t);
      if (n != null) {
        return leaves(n);
      }
    }
    return s;
  }

  /** Every string value in a JSON tree that reads like text (ids, urls and short codes left out), one per line. */
  private static String leaves(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    collectLeaves(n, sb, 0);
    return sb.toString();
  }

  private static void collectLeaves(JsonNode n, StringBuilder sb, int depth) {
    if (depth > 32 || sb.length() > MAX_PASSAGE_CHARS) {
      return;
    }
    if (n.isTextual()) {
      String t = n.asText();
      if (t.length() >= 12 && t.indexOf(' ') >= 0) {
        appendLine(sb, t);
      }
    } else if (n.isNumber() || n.isBoolean()) {
      // bare numbers without their key say nothing to check against
    } else {
      for (JsonNode c : n) {
        collectLeaves(c, sb, depth + 1);
      }
    }
  }

  /** The text of messages in the OTel GenAI shape; only those of {@code role} when it is not null. */
  static String messagesText(String json, String role) {
    JsonNode n = parse(json);
    if (n == null) {
      return json == null ? "" : json.strip().startsWith("[") || json.strip().startsWith("{") ? "" : json;
    }
    StringBuilder sb = new StringBuilder();
    if (n.isArray()) {
      for (JsonNode m : n) {
        if (m.has("parts") || m.has("role")) {
          if (role == null || role.equals(m.path("role").asText(role))) {
            appendLine(sb, partsText(m, false));
          }
        } else {
          appendLine(sb, partText(m)); // system instructions: a bare list of parts
        }
      }
    } else if (n.isTextual()) {
      sb.append(n.asText());
    }
    return sb.toString();
  }

  /** The text parts of a message (or, with {@code toolResults}, its tool call responses). */
  private static String partsText(JsonNode message, boolean toolResults) {
    StringBuilder sb = new StringBuilder();
    JsonNode parts = message.path("parts");
    if (parts.isArray()) {
      for (JsonNode p : parts) {
        boolean isTool = "tool_call_response".equals(p.path("type").asText());
        if (isTool == toolResults) {
          appendLine(sb, isTool ? responseText(p.path("response")) : partText(p));
        }
      }
    } else if (!toolResults && message.path("content").isTextual()) {
      appendLine(sb, message.path("content").asText());
    }
    return sb.toString();
  }

  private static String responseText(JsonNode r) {
    return r.isTextual() ? textOf(r.asText()) : leaves(r);
  }

  private static String partText(JsonNode p) {
    String type = p.path("type").asText("text");
    if (!type.equals("text") && !type.equals("output_text") && !type.equals("input_text")) {
      return "";
    }
    JsonNode c = p.has("content") ? p.get("content") : p.path("text");
    return c.isTextual() ? c.asText() : "";
  }

  private static JsonNode parse(String json) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      return null;
    }
  }

  private static void appendLine(StringBuilder sb, String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    if (!sb.isEmpty()) {
      sb.append('\n');
    }
    sb.append(text);
  }

  /** Keeps the context bounded, whatever a trace holds. */
  private static final class Budget {
    int chars;

    void add(List<ContextPassage> out, ContextPassage p) {
      if (p.text().isBlank() || out.size() >= MAX_PASSAGES || chars >= MAX_CONTEXT_CHARS) {
        return;
      }
      String text = p.text();
      int room = Math.min(MAX_PASSAGE_CHARS, MAX_CONTEXT_CHARS - chars);
      if (text.length() > room) {
        text = text.substring(0, room);
      }
      chars += text.length();
      out.add(text == p.text() ? p : new ContextPassage(p.source(), p.spanId(), p.title(), text));
    }
  }
}
