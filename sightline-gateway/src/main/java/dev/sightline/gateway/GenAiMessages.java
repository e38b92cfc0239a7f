package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.Content;
import java.util.List;

/**
 * Request and response bodies (OpenAI, Anthropic, Ollama, Bedrock) as captured {@link Content}: messages in the OTel GenAI shape
 * ({@code [{"role":…,"parts":[{"type":"text","content":…}]}]}). Only used when capture is on.
 */
final class GenAiMessages {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  /** Captured text beyond this many characters per call is cut (the pipeline truncates further). */
  static final int MAX_TEXT = 1 << 20;

  private GenAiMessages() {}

  static Content of(Operation op, RequestInfo req, JsonNode output) {
    ArrayNode in = F.arrayNode();
    String system = null;
    if (req.messages() != null && req.messages().isArray()) {
      for (JsonNode m : req.messages()) {
        in.add(chatMessage(m));
      }
    }
    if (req.prompt() != null) {
      in.add(textMessage("user", req.prompt()));
    }
    if (req.input() != null) {
      if (req.input().isArray() && op == Operation.RESPONSES) {
        for (JsonNode item : req.input()) {
          in.add(item.isTextual() ? textMessage("user", item) : responsesItem(item));
        }
      } else {
        in.add(textMessage("user", req.input()));
      }
    }
    if (req.instructions() != null && req.instructions().isTextual()) {
      ArrayNode s = F.arrayNode();
      s.add(textPart(req.instructions().asText()));
      system = s.toString();
    } else if (req.system() != null && !req.system().isNull()) {
      // Anthropic: a string, or an array of text blocks
      ArrayNode s = F.arrayNode();
      addContent(s, req.system());
      system = s.isEmpty() ? null : s.toString();
    }
    String tools = req.tools() != null && req.tools().isArray() ? req.tools().toString() : null;
    return new Content(in.isEmpty() ? null : in.toString(), output == null || output.isEmpty() ? null : output.toString(),
        system, tools);
  }

  /** Output of a non-streamed Chat Completions or Completions response, or a Responses response object. */
  static ArrayNode output(Operation op, JsonNode response) {
    ArrayNode out = F.arrayNode();
    if (response == null) {
      return out;
    }
    if (op.isOllama()) {
      ObjectNode msg = op == Operation.OLLAMA_CHAT ? chatMessage(response.path("message")) : message("assistant");
      if (op == Operation.OLLAMA_GENERATE) {
        ((ArrayNode) msg.get("parts")).add(textPart(response.path("response").asText("")));
      }
      String done = response.path("done_reason").asText(null);
      if (done != null) {
        msg.put("finish_reason", done);
      }
      out.add(msg);
      return out;
    }
    if (op == Operation.CONVERSE) {
      ObjectNode msg = message("assistant");
      ArrayNode parts = (ArrayNode) msg.get("parts");
      for (JsonNode c : response.path("output").path("message").path("content")) {
        if (c.has("text")) {
          parts.add(textPart(c.get("text").asText()));
        } else if (c.has("toolUse")) {
          JsonNode t = c.get("toolUse");
          parts.add(toolCall(t.path("toolUseId").asText(null), t.path("name").asText(null),
              t.has("input") ? t.get("input").toString() : null));
        }
      }
      String stop = response.path("stopReason").asText(null);
      if (stop != null) {
        msg.put("finish_reason", stop);
      }
      out.add(msg);
      return out;
    }
    if (op == Operation.MESSAGES || op == Operation.INVOKE) {
      ObjectNode msg = message("assistant");
      addContent((ArrayNode) msg.get("parts"), response.get("content"));
      String stop = response.path("stop_reason").asText(null);
      if (stop != null) {
        msg.put("finish_reason", stop);
      }
      out.add(msg);
      return out;
    }
    if (op == Operation.RESPONSES) {
      ObjectNode msg = message("assistant");
      ArrayNode parts = (ArrayNode) msg.get("parts");
      for (JsonNode item : response.path("output")) {
        String type = item.path("type").asText();
        if (type.equals("message")) {
          for (JsonNode c : item.path("content")) {
            if (c.has("text")) {
              parts.add(textPart(c.get("text").asText()));
            } else if (c.has("refusal")) {
              parts.add(textPart(c.get("refusal").asText()));
            }
          }
        } else if (type.equals("function_call")) {
          parts.add(toolCall(item.path("call_id").asText(null), item.path("name").asText(null),
              item.path("arguments").asText(null)));
        }
      }
      String status = response.path("status").asText(null);
      if (status != null) {
        msg.put("finish_reason", status);
      }
      out.add(msg);
      return out;
    }
    for (JsonNode choice : response.path("choices")) {
      ObjectNode msg;
      if (op == Operation.TEXT_COMPLETION) {
        msg = message("assistant");
        ((ArrayNode) msg.get("parts")).add(textPart(choice.path("text").asText("")));
      } else {
        msg = chatMessage(choice.path("message"));
      }
      if (choice.hasNonNull("finish_reason")) {
        msg.put("finish_reason", choice.get("finish_reason").asText());
      }
      out.add(msg);
    }
    return out;
  }

  /** Output assembled from streamed deltas. */
  static ArrayNode streamed(String text, List<String> finishReasons) {
    ArrayNode out = F.arrayNode();
    ObjectNode msg = message("assistant");
    ((ArrayNode) msg.get("parts")).add(textPart(text));
    if (!finishReasons.isEmpty()) {
      msg.put("finish_reason", finishReasons.get(0));
    }
    out.add(msg);
    return out;
  }

  private static ObjectNode chatMessage(JsonNode m) {
    String role = m.path("role").asText("user");
    ObjectNode msg = message(role);
    ArrayNode parts = (ArrayNode) msg.get("parts");
    JsonNode content = m.get("content");
    if (role.equals("tool")) {
      ObjectNode p = F.objectNode();
      p.put("type", "tool_call_response");
      p.put("id", m.path("tool_call_id").asText(null));
      p.set("response", content == null ? F.nullNode() : content);
      parts.add(p);
      return msg;
    }
    addContent(parts, content);
    for (JsonNode tc : m.path("tool_calls")) {
      JsonNode fn = tc.path("function");
      parts.add(toolCall(tc.path("id").asText(null), fn.path("name").asText(null), fn.path("arguments").asText(null)));
    }
    return msg;
  }

  private static ObjectNode responsesItem(JsonNode item) {
    String type = item.path("type").asText("message");
    if (type.equals("function_call_output")) {
      ObjectNode msg = message("tool");
      ObjectNode p = F.objectNode();
      p.put("type", "tool_call_response");
      p.put("id", item.path("call_id").asText(null));
      p.set("response", item.path("output"));
      ((ArrayNode) msg.get("parts")).add(p);
      return msg;
    }
    if (type.equals("function_call")) {
      ObjectNode msg = message("assistant");
      ((ArrayNode) msg.get("parts")).add(toolCall(item.path("call_id").asText(null), item.path("name").asText(null),
          item.path("arguments").asText(null)));
      return msg;
    }
    ObjectNode msg = message(item.path("role").asText("user"));
    addContent((ArrayNode) msg.get("parts"), item.get("content"));
    return msg;
  }

  private static void addContent(ArrayNode parts, JsonNode content) {
    if (content == null || content.isNull()) {
      return;
    }
    if (content.isTextual()) {
      parts.add(textPart(content.asText()));
      return;
    }
    for (JsonNode c : content) {
      if (c.has("text")) {
        parts.add(textPart(c.get("text").asText()));
      } else if (c.has("refusal")) {
        parts.add(textPart(c.get("refusal").asText()));
      } else if (c.path("type").asText().equals("tool_use")) {
        parts.add(toolCall(c.path("id").asText(null), c.path("name").asText(null),
            c.has("input") ? c.get("input").toString() : null));
      } else if (c.path("type").asText().equals("tool_result")) {
        ObjectNode p = F.objectNode();
        p.put("type", "tool_call_response");
        p.put("id", c.path("tool_use_id").asText(null));
        p.set("response", c.has("content") ? c.get("content") : F.nullNode());
        parts.add(p);
      } else {
        ObjectNode p = F.objectNode();
        p.put("type", c.path("type").asText("unknown"));
        parts.add(p);
      }
    }
  }

  private static ObjectNode textMessage(String role, JsonNode value) {
    ObjectNode msg = message(role);
    ArrayNode parts = (ArrayNode) msg.get("parts");
    if (value.isArray()) {
      for (JsonNode v : value) {
        parts.add(textPart(v.isTextual() ? v.asText() : v.toString()));
      }
    } else {
      parts.add(textPart(value.isTextual() ? value.asText() : value.toString()));
    }
    return msg;
  }

  private static ObjectNode message(String role) {
    ObjectNode msg = F.objectNode();
    msg.put("role", role);
    msg.set("parts", F.arrayNode());
    return msg;
  }

  private static ObjectNode textPart(String text) {
    ObjectNode p = F.objectNode();
    p.put("type", "text");
    p.put("content", text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text);
    return p;
  }

  private static ObjectNode toolCall(String id, String name, String arguments) {
    ObjectNode p = F.objectNode();
    p.put("type", "tool_call");
    p.put("id", id);
    p.put("name", name);
    p.put("arguments", arguments);
    return p;
  }
}
