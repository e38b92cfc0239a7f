package dev.sightline.semconv;

import dev.sightline.model.Content;
import dev.sightline.model.SpanEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A call's captured content, from the first source that has it (ARCHITECTURE.md §4): OTel
 * {@code gen_ai.input.messages} / {@code gen_ai.output.messages} (JSON text or structured values),
 * OpenInference {@code llm.input_messages.N.*}, legacy {@code gen_ai.prompt.N.*} / {@code gen_ai.completion.N.*},
 * GenAI events (span events or joined log records), then the Vercel AI SDK's {@code ai.prompt.messages} /
 * {@code ai.response.text} and OpenInference's raw {@code input.value} / {@code output.value}.
 */
final class Conversation {
  /** The content, plus the finish reasons its output messages carried (for the outcome). */
  record Result(Content content, List<String> finishReasons) {}

  private Conversation() {}

  static Result of(Map<String, Object> a, List<SpanEvent> events) {
    Sources s = new Sources();
    s.scan(a);
    String input = firstOf(
        () -> genAi(a.get(Keys.INPUT_MESSAGES), "user"),
        () -> s.oiInput.isEmpty() ? null : write(openInference(s.oiInput)),
        () -> s.legacyPrompt.isEmpty() ? legacyWhole(a.get(Keys.LEGACY_PROMPT), "user")
            : write(legacy(s.legacyPrompt, "user")),
        () -> eventsInput(events),
        () -> vercelInput(a),
        () -> rawValue(a.get(Keys.OI_INPUT_VALUE), "user"));
    List<Map<String, Object>> outputList = null;
    String output = genAi(a.get(Keys.OUTPUT_MESSAGES), "assistant");
    if (output == null) {
      outputList = !s.oiOutput.isEmpty() ? openInference(s.oiOutput)
          : !s.legacyCompletion.isEmpty() ? legacy(s.legacyCompletion, "assistant")
          : listOrNull(parsedWhole(a.get(Keys.LEGACY_COMPLETION), "assistant"));
      if (outputList == null) {
        outputList = eventsOutput(events);
      }
      if (outputList == null) {
        outputList = vercelOutput(a);
      }
      if (outputList == null) {
        outputList = listOrNull(parsedRaw(a.get(Keys.OI_OUTPUT_VALUE), "assistant"));
      }
    }
    List<String> reasons = finishReasons(a, output, outputList);
    if (outputList != null) {
      // OTel output messages carry a finish reason; give each the one the call reported for it.
      for (int i = 0; i < outputList.size() && i < reasons.size(); i++) {
        outputList.get(i).putIfAbsent("finish_reason", reasons.get(i));
      }
      output = write(outputList);
    }
    String system = firstOf(() -> systemInstructions(a.get(Keys.SYSTEM_INSTRUCTIONS)),
        () -> eventsSystem(events), () -> vercelSystem(a));
    String tools = firstOf(() -> toolDefinitions(a.get(Keys.TOOL_DEFINITIONS)),
        () -> s.oiTools.isEmpty() ? null : write(openInferenceTools(s.oiTools)),
        () -> s.functions.isEmpty() ? null : write(traceloopFunctions(s.functions)),
        () -> vercelTools(a.get(Keys.VERCEL_TOOLS)));
    Content content = new Content(input, output, system, tools);
    return new Result(content, reasons);
  }

  // ---- OTel GenAI attributes -------------------------------------------------------------------

  /**
   * {@code gen_ai.input.messages}-style values: valid JSON text already in OTel shape is kept as sent;
   * other shapes are converted; text that is not JSON becomes one text part of {@code role}.
   */
  static String genAi(Object value, String role) {
    if (value == null) {
      return null;
    }
    if (value instanceof String s) {
      if (s.isBlank()) {
        return null;
      }
      Object parsed = Json.parseOrNull(s);
      if (parsed == null) {
        return write(List.of(MessageParts.message(role, new ArrayList<>(List.of(MessageParts.text(s))))));
      }
      if (isCanonical(parsed)) {
        return s.trim();
      }
      value = parsed;
    }
    return write(MessageParts.messages(value, role));
  }

  private static boolean isCanonical(Object parsed) {
    if (!(parsed instanceof List<?> list)) {
      return false;
    }
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("role") instanceof String) || !(m.get("parts") instanceof List<?> parts)) {
        return false;
      }
      for (Object p : parts) {
        if (!(p instanceof Map<?, ?> pm) || !(pm.get("type") instanceof String)) {
          return false;
        }
        if ("tool-call".equals(pm.get("type")) || "input_text".equals(pm.get("type"))) {
          return false;
        }
      }
    }
    return true;
  }

  /** {@code gen_ai.prompt} / {@code gen_ai.completion} as one JSON value (deprecated span attributes). */
  private static String legacyWhole(Object value, String role) {
    return write(listOrNull(parsedWhole(value, role)));
  }

  private static List<Map<String, Object>> parsedWhole(Object value, String role) {
    if (value == null) {
      return null;
    }
    Object parsed = value instanceof String s ? Json.parseOrNull(s) : value;
    if (parsed == null) {
      String s = Values.string(value);
      return s == null ? null : List.of(MessageParts.message(role, new ArrayList<>(List.of(MessageParts.text(s)))));
    }
    return MessageParts.messages(parsed, role);
  }

  static String systemInstructions(Object value) {
    if (value == null) {
      return null;
    }
    Object parsed = value;
    if (value instanceof String s) {
      if (s.isBlank()) {
        return null;
      }
      parsed = Json.parseOrNull(s);
      if (parsed == null) {
        return write(List.of(MessageParts.text(s)));
      }
    }
    List<Object> parts = new ArrayList<>();
    MessageParts.addContent(parts, parsed);
    return write(parts);
  }

  static String toolDefinitions(Object value) {
    if (value == null) {
      return null;
    }
    Object parsed = value instanceof String s ? Json.parseOrNull(s) : value;
    if (parsed == null) {
      String s = Values.string(value);
      return s == null ? null : write(List.of(MessageParts.text(s)));
    }
    List<Object> out = new ArrayList<>();
    if (parsed instanceof List<?> list) {
      for (Object d : list) {
        out.add(MessageParts.toolDefinition(d instanceof String ds && Json.parseOrNull(ds) != null
            ? Json.parseOrNull(ds) : d));
      }
    } else {
      out.add(MessageParts.toolDefinition(parsed));
    }
    return write(out);
  }

  // ---- Flattened attributes (OpenInference, legacy gen_ai.prompt.N) ------------------------------

  /** The indexed attribute families of one span, gathered in a single pass over its keys. */
  private static final class Sources {
    final Map<String, Object> oiInput = new LinkedHashMap<>();
    final Map<String, Object> oiOutput = new LinkedHashMap<>();
    final Map<String, Object> oiTools = new LinkedHashMap<>();
    final Map<String, Object> legacyPrompt = new LinkedHashMap<>();
    final Map<String, Object> legacyCompletion = new LinkedHashMap<>();
    final Map<String, Object> functions = new LinkedHashMap<>();

    void scan(Map<String, Object> a) {
      for (Map.Entry<String, Object> e : a.entrySet()) {
        String k = e.getKey();
        char c0 = k.isEmpty() ? ' ' : k.charAt(0);
        if (c0 == 'l') {
          put(k, Keys.OI_INPUT_MESSAGES, oiInput, e.getValue());
          put(k, Keys.OI_OUTPUT_MESSAGES, oiOutput, e.getValue());
          put(k, Keys.OI_TOOLS, oiTools, e.getValue());
          put(k, Keys.TRACELOOP_FUNCTIONS, functions, e.getValue());
        } else if (c0 == 'g') {
          if (Keys.indexedUnder(k, Keys.LEGACY_PROMPT_PREFIX)) {
            put(k, Keys.LEGACY_PROMPT_PREFIX, legacyPrompt, e.getValue());
          } else if (Keys.indexedUnder(k, Keys.LEGACY_COMPLETION_PREFIX)) {
            put(k, Keys.LEGACY_COMPLETION_PREFIX, legacyCompletion, e.getValue());
          }
        }
      }
    }

    private static void put(String key, String prefix, Map<String, Object> into, Object value) {
      if (key.startsWith(prefix)) {
        Unflattened.put(into, key.substring(prefix.length()), value);
      }
    }
  }

  /** OpenInference messages: {@code N.message.role|content|contents.M.message_content.*|tool_calls.K.tool_call.*}. */
  private static List<Map<String, Object>> openInference(Map<String, Object> tree) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object node : Unflattened.indexed(tree)) {
      Object msg = Unflattened.get(node, "message");
      if (msg == null) {
        continue;
      }
      String role = Values.string(Unflattened.get(msg, "role"));
      role = role == null ? "user" : role;
      List<Object> parts = new ArrayList<>();
      Object toolCallId = Unflattened.get(msg, "tool_call_id");
      Object content = Unflattened.get(msg, "content");
      if (toolCallId != null && content != null) {
        parts.add(MessageParts.toolCallResponse(toolCallId, content));
      } else if (content != null) {
        parts.add(MessageParts.text(Values.string(content) == null ? String.valueOf(content) : content.toString()));
      }
      for (Object c : Unflattened.indexed(Unflattened.get(msg, "contents"))) {
        Object mc = Unflattened.get(c, "message_content");
        String type = Values.string(Unflattened.get(mc, "type"));
        if ("image".equals(type)) {
          Map<String, Object> p = new LinkedHashMap<>();
          p.put("type", "uri");
          p.put("modality", "image");
          p.put("uri", Unflattened.get(Unflattened.get(Unflattened.get(mc, "image"), "image"), "url"));
          parts.add(p);
        } else {
          Object t = Unflattened.get(mc, "text");
          if (t != null) {
            parts.add(MessageParts.text(t.toString()));
          }
        }
      }
      for (Object tc : Unflattened.indexed(Unflattened.get(msg, "tool_calls"))) {
        Object call = Unflattened.get(tc, "tool_call");
        Object fn = Unflattened.get(call, "function");
        parts.add(MessageParts.toolCall(Unflattened.get(call, "id"), Unflattened.get(fn, "name"),
            Unflattened.get(fn, "arguments")));
      }
      Map<String, Object> m = MessageParts.message(role, parts);
      Object name = Unflattened.get(msg, "name");
      if (name != null) {
        m.put("name", name);
      }
      out.add(m);
    }
    return out;
  }

  private static List<Object> openInferenceTools(Map<String, Object> tree) {
    List<Object> out = new ArrayList<>();
    for (Object node : Unflattened.indexed(tree)) {
      Object schema = Unflattened.get(Unflattened.get(node, "tool"), "json_schema");
      Object parsed = schema instanceof String s ? Json.parseOrNull(s) : schema;
      if (parsed != null) {
        out.add(MessageParts.toolDefinition(parsed));
      } else if (schema != null) {
        out.add(schema);
      }
    }
    return out;
  }

  /** OpenLLMetry's {@code llm.request.functions.N.name|description|parameters}. */
  private static List<Object> traceloopFunctions(Map<String, Object> tree) {
    List<Object> out = new ArrayList<>();
    for (Object node : Unflattened.indexed(tree)) {
      Map<String, Object> def = new LinkedHashMap<>();
      def.put("type", "function");
      def.put("name", Unflattened.get(node, "name"));
      Object d = Unflattened.get(node, "description");
      if (d != null) {
        def.put("description", d);
      }
      Object p = Unflattened.get(node, "parameters");
      Object parsed = p instanceof String s ? Json.parseOrNull(s) : p;
      if (p != null) {
        def.put("parameters", parsed != null ? parsed : p);
      }
      out.add(def);
    }
    return out;
  }

  /** Legacy {@code gen_ai.prompt.N.role|content|tool_calls.K.*|tool_call_id|finish_reason}. */
  private static List<Map<String, Object>> legacy(Map<String, Object> tree, String defaultRole) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object node : Unflattened.indexed(tree)) {
      Map<String, Object> m = new LinkedHashMap<>();
      String role = Values.string(Unflattened.get(node, "role"));
      m.put("role", role == null ? defaultRole : role);
      Object content = Unflattened.get(node, "content");
      if (content instanceof String s && s.startsWith("[")) {
        Object parsed = Json.parseOrNull(s);
        if (parsed instanceof List<?>) {
          content = parsed;
        }
      }
      m.put("content", content);
      Object toolCallId = Unflattened.get(node, "tool_call_id");
      if (toolCallId != null) {
        m.put("tool_call_id", toolCallId);
      }
      List<Object> calls = new ArrayList<>();
      for (Object tc : Unflattened.indexed(Unflattened.get(node, "tool_calls"))) {
        Map<String, Object> call = new LinkedHashMap<>();
        call.put("id", Unflattened.get(tc, "id"));
        call.put("name", Unflattened.get(tc, "name"));
        call.put("arguments", Unflattened.get(tc, "arguments"));
        calls.add(call);
      }
      if (!calls.isEmpty()) {
        m.put("tool_calls", calls);
      }
      Object finish = Unflattened.get(node, "finish_reason");
      if (finish != null) {
        m.put("finish_reason", finish);
      }
      Map<String, Object> msg = MessageParts.message(m, defaultRole);
      if (msg != null) {
        out.add(msg);
      }
    }
    return out;
  }

  // ---- GenAI events -----------------------------------------------------------------------------

  private static final String DETAILS_EVENT = "gen_ai.client.inference.operation.details";

  private static String eventsInput(List<SpanEvent> events) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SpanEvent e : events) {
      String n = e.name();
      if (DETAILS_EVENT.equals(n)) {
        String s = genAi(eventValue(e, Keys.INPUT_MESSAGES), "user");
        if (s != null) {
          return s;
        }
      } else if ("gen_ai.content.prompt".equals(n)) {
        String s = legacyWhole(eventValue(e, Keys.LEGACY_PROMPT), "user");
        if (s != null) {
          return s;
        }
      } else {
        String role = roleOfMessageEvent(n);
        if (role != null) {
          Map<String, Object> m = MessageParts.message(withRole(payload(e), role, true), role);
          if (m != null) {
            out.add(m);
          }
        }
      }
    }
    return out.isEmpty() ? null : write(out);
  }

  private static List<Map<String, Object>> eventsOutput(List<SpanEvent> events) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (SpanEvent e : events) {
      String n = e.name();
      if (DETAILS_EVENT.equals(n)) {
        Object v = eventValue(e, Keys.OUTPUT_MESSAGES);
        if (v != null) {
          Object parsed = v instanceof String s ? Json.parseOrNull(s) : v;
          return parsed == null ? parsedWhole(v, "assistant") : MessageParts.messages(parsed, "assistant");
        }
      } else if ("gen_ai.content.completion".equals(n)) {
        List<Map<String, Object>> l = parsedWhole(eventValue(e, Keys.LEGACY_COMPLETION), "assistant");
        if (l != null) {
          return l;
        }
      } else if ("gen_ai.choice".equals(n)) {
        Map<String, Object> body = payload(e);
        Object message = body.get("message");
        Map<String, Object> m = new LinkedHashMap<>();
        if (message instanceof Map<?, ?> mm) {
          for (Map.Entry<?, ?> x : mm.entrySet()) {
            m.put(String.valueOf(x.getKey()), x.getValue());
          }
        } else if (message != null) {
          m.put("content", message);
        }
        m.putIfAbsent("role", "assistant");
        Object finish = body.get("finish_reason");
        if (finish != null) {
          m.put("finish_reason", finish);
        }
        Map<String, Object> msg = MessageParts.message(m, "assistant");
        if (msg != null) {
          out.add(msg);
        }
      }
    }
    return out.isEmpty() ? null : out;
  }

  private static String eventsSystem(List<SpanEvent> events) {
    for (SpanEvent e : events) {
      if (DETAILS_EVENT.equals(e.name())) {
        String s = systemInstructions(eventValue(e, Keys.SYSTEM_INSTRUCTIONS));
        if (s != null) {
          return s;
        }
      }
    }
    return null;
  }

  private static String roleOfMessageEvent(String name) {
    if (name == null) {
      return null;
    }
    return switch (name) {
      case "gen_ai.system.message" -> "system";
      case "gen_ai.user.message" -> "user";
      case "gen_ai.assistant.message" -> "assistant";
      case "gen_ai.tool.message" -> "tool";
      default -> null;
    };
  }

  /** An event's value for {@code key}: from its attributes, else from a map body. */
  private static Object eventValue(SpanEvent e, String key) {
    Object v = e.attributes().get(key);
    if (v == null && e.body() instanceof Map<?, ?> b) {
      v = b.get(key);
    }
    return v;
  }

  /**
   * A message event's payload, read the same way whatever carried it: a map body (log record), a
   * JSON or plain-text body, or the attributes (span event).
   */
  private static Map<String, Object> payload(SpanEvent e) {
    Map<String, Object> out = new LinkedHashMap<>();
    Object body = e.body();
    if (body instanceof String s) {
      Object parsed = Json.parseOrNull(s);
      body = parsed instanceof Map<?, ?> ? parsed : Map.of("content", s);
    }
    if (body instanceof Map<?, ?> b) {
      for (Map.Entry<?, ?> x : b.entrySet()) {
        out.put(String.valueOf(x.getKey()), x.getValue());
      }
    } else if (body instanceof List<?> l) {
      out.put("content", l);
    }
    for (Map.Entry<String, Object> x : e.attributes().entrySet()) {
      String k = x.getKey();
      if (k.equals("gen_ai.event.content") && x.getValue() instanceof String s
          && Json.parseOrNull(s) instanceof Map<?, ?> parsed) {
        for (Map.Entry<?, ?> y : parsed.entrySet()) {
          out.putIfAbsent(String.valueOf(y.getKey()), y.getValue());
        }
      } else if (!k.startsWith("gen_ai.") && !k.equals("event.name")) {
        out.putIfAbsent(k, x.getValue());
      }
    }
    return out;
  }

  private static Map<String, Object> withRole(Map<String, Object> m, String role, boolean onlyIfAbsent) {
    if (!onlyIfAbsent || m.get("role") == null) {
      m.put("role", role);
    }
    if ("tool".equals(m.get("role")) && m.get("tool_call_id") == null && m.get("id") != null) {
      m.put("tool_call_id", m.get("id"));
    }
    return m;
  }

  // ---- Vercel AI SDK and OpenInference raw values ---------------------------------------------

  private static String vercelInput(Map<String, Object> a) {
    Object v = a.get(Keys.VERCEL_PROMPT_MESSAGES);
    if (v != null) {
      return genAi(v, "user");
    }
    Object prompt = a.get(Keys.VERCEL_PROMPT);
    Object parsed = prompt instanceof String s ? Json.parseOrNull(s) : prompt;
    if (parsed instanceof Map<?, ?> p) {
      if (p.get("messages") instanceof List<?> l) {
        return write(MessageParts.messages(l, "user"));
      }
      if (p.get("prompt") != null) {
        return write(MessageParts.messages(p.get("prompt"), "user"));
      }
    } else if (prompt != null) {
      return genAi(prompt, "user");
    }
    return null;
  }

  private static String vercelSystem(Map<String, Object> a) {
    Object prompt = a.get(Keys.VERCEL_PROMPT);
    Object parsed = prompt instanceof String s ? Json.parseOrNull(s) : prompt;
    if (parsed instanceof Map<?, ?> p && p.get("system") != null) {
      return systemInstructions(p.get("system"));
    }
    return null;
  }

  private static List<Map<String, Object>> vercelOutput(Map<String, Object> a) {
    Object text = a.get(Keys.VERCEL_RESPONSE_TEXT);
    Object calls = a.get(Keys.VERCEL_RESPONSE_TOOL_CALLS);
    if (text == null && calls == null) {
      return null;
    }
    List<Object> parts = new ArrayList<>();
    if (text != null) {
      parts.add(MessageParts.text(text.toString()));
    }
    Object parsedCalls = calls instanceof String s ? Json.parseOrNull(s) : calls;
    if (parsedCalls instanceof List<?> l) {
      for (Object c : l) {
        parts.add(MessageParts.part(c instanceof Map<?, ?> cm && cm.get("type") == null
            ? withType(cm, "tool-call") : c));
      }
    }
    Map<String, Object> m = MessageParts.message("assistant", parts);
    String finish = Values.string(a.get(Keys.VERCEL_FINISH_REASON));
    if (finish != null) {
      m.put("finish_reason", finish);
    }
    return List.of(m);
  }

  private static Map<String, Object> withType(Map<?, ?> m, String type) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      out.put(String.valueOf(e.getKey()), e.getValue());
    }
    out.put("type", type);
    return out;
  }

  private static String vercelTools(Object v) {
    if (v == null) {
      return null;
    }
    return toolDefinitions(v);
  }

  /** OpenInference {@code input.value}: an OpenAI request body, a message list, or plain text. */
  private static String rawValue(Object v, String role) {
    return write(listOrNull(parsedRaw(v, role)));
  }

  private static List<Map<String, Object>> parsedRaw(Object v, String role) {
    String s = Values.string(v);
    if (s == null) {
      return null;
    }
    Object parsed = Json.parseOrNull(s);
    if (parsed == null || parsed instanceof String) {
      return List.of(MessageParts.message(role, new ArrayList<>(List.of(MessageParts.text(
          parsed instanceof String ps ? ps : s)))));
    }
    if (parsed instanceof List<?> l) {
      return MessageParts.messages(l, role);
    }
    Map<?, ?> m = (Map<?, ?>) parsed;
    if (m.get("messages") instanceof List<?> l) {
      return MessageParts.messages(l, role);
    }
    if (m.get("choices") instanceof List<?> choices) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (Object c : choices) {
        if (c instanceof Map<?, ?> cm) {
          Map<String, Object> msg = MessageParts.message(cm.get("message") != null ? cm.get("message")
              : cm.get("text"), "assistant");
          if (msg != null) {
            if (cm.get("finish_reason") != null) {
              msg.put("finish_reason", cm.get("finish_reason"));
            }
            out.add(msg);
          }
        }
      }
      return out;
    }
    if (m.get("output") instanceof List<?> items) {
      // OpenAI Responses API: merge the items into one assistant message.
      List<Object> parts = new ArrayList<>();
      for (Object item : items) {
        Map<String, Object> msg = MessageParts.message(item, "assistant");
        if (msg != null && msg.get("parts") instanceof List<?> ps) {
          parts.addAll(ps);
        }
      }
      return List.of(MessageParts.message("assistant", parts));
    }
    if (m.get("input") != null) {
      return MessageParts.messages(m.get("input"), role);
    }
    if (m.get("text") != null || m.get("content") != null) {
      return MessageParts.messages(m, role);
    }
    return List.of(MessageParts.message(role, new ArrayList<>(List.of(MessageParts.text(s)))));
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * {@code gen_ai.response.finish_reasons} (array or JSON text) → the finish reasons on the output
   * messages, whatever source gave them → OpenInference's raw {@code output.value} → the Vercel AI
   * SDK's {@code ai.response.finishReason}.
   */
  private static List<String> finishReasons(Map<String, Object> a, String outputJson,
      List<Map<String, Object>> outputList) {
    List<String> r = Values.strings(a.get(Keys.FINISH_REASONS));
    if (r != null) {
      return r;
    }
    if (outputJson != null && outputJson.contains("finish_reason")) {
      r = reasonsOf(Json.parseOrNull(outputJson));
    } else if (outputList != null) {
      r = reasonsOf(outputList);
    }
    if ((r == null || r.isEmpty()) && a.get(Keys.OI_OUTPUT_VALUE) instanceof String raw
        && raw.contains("finish_reason")) {
      r = reasonsOf(parsedRaw(raw, "assistant"));
    }
    if (r == null || r.isEmpty()) {
      r = Values.strings(a.get(Keys.VERCEL_FINISH_REASON));
    }
    return r == null ? List.of() : r;
  }

  private static List<String> reasonsOf(Object messages) {
    List<String> out = new ArrayList<>();
    if (messages instanceof List<?> l) {
      for (Object m : l) {
        if (m instanceof Map<?, ?> mm) {
          String f = Values.string(mm.get("finish_reason"));
          if (f != null) {
            out.add(f);
          }
        }
      }
    }
    return out;
  }

  private static <T> List<T> listOrNull(List<T> l) {
    return l == null || l.isEmpty() ? null : l;
  }

  private static String write(Object v) {
    if (v == null || v instanceof List<?> l && l.isEmpty()) {
      return null;
    }
    return Json.write(v);
  }

  @SafeVarargs
  private static String firstOf(Supplier<String>... sources) {
    for (Supplier<String> source : sources) {
      String v = source.get();
      if (v != null) {
        return v;
      }
    }
    return null;
  }
}
