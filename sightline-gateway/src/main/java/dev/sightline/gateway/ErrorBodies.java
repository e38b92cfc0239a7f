package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The error type an error body names: {@code error.type}, else {@code error.code}. Reads both
 * OpenAI-compatible bodies and Anthropic's {@code {"type":"error","error":{"type":…}}}.
 */
final class ErrorBodies {
  private ErrorBodies() {}

  static String typeOf(JsonNode root) {
    if (root == null) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error == null || error.isNull()) {
      return null;
    }
    if (error.isTextual()) {
      return null; // some servers send {"error":"message"}: a message, not a type
    }
    String type = text(error.get("type"));
    return type != null ? type : text(error.get("code"));
  }

  private static String text(JsonNode v) {
    if (v == null || v.isNull()) {
      return null;
    }
    String s = v.isTextual() ? v.asText() : v.isNumber() ? v.asText() : null;
    return s == null || s.isBlank() ? null : (s.length() > 128 ? s.substring(0, 128) : s);
  }
}
