package dev.sightline.semconv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts the message shapes instrumentations write (OTel GenAI parts, OpenAI chat and Responses
 * items, Anthropic content blocks, Vercel AI SDK parts, plain strings) into OTel GenAI's message shape:
 * {@code {"role":…,"parts":[{"type":"text","content":…}, {"type":"tool_call","id","name","arguments"}…]}}.
 * Unknown part shapes are kept as they came; nothing here throws on odd input.
 */
final class MessageParts {
  private MessageParts() {}

  static Map<String, Object> text(String content) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "text");
    p.put("content", content);
    return p;
  }

  static Map<String, Object> toolCall(Object id, Object name, Object arguments) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "tool_call");
    p.put("id", id);
    p.put("name", name);
    p.put("arguments", arguments);
    return p;
  }

  static Map<String, Object> toolCallResponse(Object id, Object response) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("type", "tool_call_response");
    p.put("id", id);
    p.put("response", response);
    return p;
  }

  static Map<String, Object> message(String role, List<Object> parts) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    m.put("parts", parts);
    return m;
  }

  /** A whole message list from a parsed value; a non-list becomes one message. */
  static List<Map<String, Object>> messages(Object value, String defaultRole) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (value instanceof List<?> list) {
      for (Object item : list) {
        Map<String, Object> m = message(item, defaultRole);
        if (m != null) {
          out.add(m);
        }
      }
    } else if (value != null) {
      Map<String, Object> m = message(value, defaultRole);
      if (m != null) {
        out.add(m);
      }
    }
    return out;
  }

  /** One message in OTel shape, or null for an empty value. */
  static Map<String, Object> message(Object item, String defaultRole) {
    if (item == null) {
      return null;
    }
    if (!(item instanceof Map<?, ?> raw)) {
      List<Object> parts = new ArrayList<>();
      parts.add(text(item instanceof String s ? s : String.valueOf(Json.write(item))));
      return message(defaultRole, parts);
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) raw;
    String role = Values.string(m.get("role"));
    if (m.get("parts") instanceof List<?> parts) {
      Map<String, Object> out = new LinkedHashMap<>(m);
      out.put("role", role == null ? defaultRole : role);
      List<Object> normalized = new ArrayList<>(parts.size());
      for (Object p : parts) {
        Object np = part(p);
        if (np != null) {
          normalized.add(np);
        }
      }
      out.put("parts", normalized);
      return out;
    }
    // OpenAI Responses API input/output items.
    String type = Values.string(m.get("type"));
    if ("function_call".equals(type)) {
      List<Object> parts = new ArrayList<>();
      parts.add(toolCall(first(m, "call_id", "id"), m.get("name"), m.get("arguments")));
      return message("assistant", parts);
    }
    if ("function_call_output".equals(type)) {
      List<Object> parts = new ArrayList<>();
      parts.add(toolCallResponse(m.get("call_id"), m.get("output")));
      return message("tool", parts);
    }
    if (role == null) {
      role = defaultRole;
    }
    List<Object> parts = new ArrayList<>();
    Object content = m.containsKey("content") ? m.get("content") : m.get("text");
    boolean toolResult = "tool".equals(role) && m.get("tool_call_id") != null;
    if (toolResult) {
      parts.add(toolCallResponse(m.get("tool_call_id"), content));
    } else {
      addContent(parts, content);
    }
    if (m.get("tool_calls") instanceof List<?> calls) {
      for (Object c : calls) {
        if (c instanceof Map<?, ?> call) {
          Object fn = call.get("function");
          if (fn instanceof Map<?, ?> f) {
            parts.add(toolCall(call.get("id"), f.get("name"), f.get("arguments")));
          } else {
            parts.add(toolCall(call.get("id"), call.get("name"), first(call, "arguments", "args", "input")));
          }
        }
      }
    }
    Map<String, Object> out = message(role, parts);
    Object name = m.get("name");
    if (name != null && !"function_call".equals(type)) {
      out.put("name", name);
    }
    Object finish = m.get("finish_reason");
    if (finish != null) {
      out.put("finish_reason", finish);
    }
    return out;
  }

  /** Appends the parts that a content value (string, list of parts, one part) holds. */
  static void addContent(List<Object> parts, Object content) {
    if (content == null) {
      return;
    }
    if (content instanceof String s) {
      parts.add(text(s));
    } else if (content instanceof List<?> list) {
      for (Object p : list) {
        Object np = part(p);
        if (np != null) {
          parts.add(np);
        }
      }
    } else {
      Object np = part(content);
      if (np != null) {
        parts.add(np);
      }
    }
  }

  /** One part in OTel shape. */
  static Object part(Object p) {
    if (p == null) {
      return null;
    }
    if (p instanceof String s) {
      return text(s);
    }
    if (!(p instanceof Map<?, ?> m)) {
      return text(String.valueOf(p));
    }
    String type = Values.string(m.get("type"));
    if (type == null) {
      Object t = first(m, "text", "content");
      return t instanceof String s ? text(s) : m;
    }
    switch (type) {
      case "text", "input_text", "output_text" -> {
        Object t = m.containsKey("content") ? m.get("content") : m.get("text");
        return text(t == null ? "" : t instanceof String s ? s : Json.write(t));
      }
      case "tool-call", "tool_use" -> {
        return toolCall(first(m, "toolCallId", "id"), first(m, "toolName", "name"),
            first(m, "input", "args", "arguments"));
      }
      case "tool-result", "tool_result" -> {
        return toolCallResponse(first(m, "toolCallId", "tool_use_id", "id"),
            first(m, "output", "result", "content"));
      }
      case "image_url" -> {
        Object u = m.get("image_url");
        Object url = u instanceof Map<?, ?> um ? um.get("url") : u;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "uri");
        out.put("modality", "image");
        out.put("uri", url);
        return out;
      }
      case "thinking" -> {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", "reasoning");
        out.put("content", first(m, "thinking", "text", "content"));
        return out;
      }
      case "reasoning" -> {
        if (m.get("content") == null && m.get("text") != null) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("type", "reasoning");
          out.put("content", m.get("text"));
          return out;
        }
        return m;
      }
      default -> {
        return m;
      }
    }
  }

  private static Object first(Map<?, ?> m, String... keys) {
    for (String k : keys) {
      Object v = m.get(k);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  /** Tool definitions in OTel shape ({@code {"type":"function","name",…}}), from OpenAI's nested form too. */
  static Object toolDefinition(Object def) {
    if (!(def instanceof Map<?, ?> m)) {
      return def;
    }
    if (m.get("function") instanceof Map<?, ?> fn) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("type", m.get("type") == null ? "function" : m.get("type"));
      for (Map.Entry<?, ?> e : fn.entrySet()) {
        out.put(String.valueOf(e.getKey()), e.getValue());
      }
      return out;
    }
    if (m.get("parameters") == null && m.get("inputSchema") != null) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String k = String.valueOf(e.getKey());
        out.put(k.equals("inputSchema") ? "parameters" : k, e.getValue());
      }
      return out;
    }
    return m;
  }
}
