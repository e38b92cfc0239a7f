package dev.sightline.gateway;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * What the gateway needs from a request body: the model, whether a stream was asked for and with
 * usage, and (only when capture is on) the prompt. Read with a streaming parser that skips every
 * other field, so a 10 MiB body costs one pass and no tree.
 *
 * @param includeUsage null when {@code stream_options.include_usage} is absent
 * @param streamOptionsIsObject false when {@code stream_options} is present but not an object
 * @param system Anthropic's top-level {@code system} prompt (kept only when capture is on)
 */
record RequestInfo(
    String model,
    boolean stream,
    Boolean includeUsage,
    boolean hasStreamOptions,
    boolean streamOptionsIsObject,
    JsonNode messages,
    JsonNode input,
    JsonNode prompt,
    JsonNode instructions,
    JsonNode tools,
    boolean parsed,
    JsonNode system) {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFactory FACTORY = JSON.getFactory();
  static final RequestInfo UNREADABLE = new RequestInfo(null, false, null, false, false, null, null, null, null,
      null, false, null);

  static RequestInfo parse(byte[] body, boolean keepContent) {
    if (body.length == 0) {
      return UNREADABLE;
    }
    try (JsonParser p = FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return UNREADABLE;
      }
      String model = null;
      boolean stream = false;
      Boolean includeUsage = null;
      boolean hasStreamOptions = false;
      boolean streamOptionsIsObject = false;
      JsonNode messages = null;
      JsonNode input = null;
      JsonNode prompt = null;
      JsonNode instructions = null;
      JsonNode tools = null;
      JsonNode system = null;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "model" -> model = v == JsonToken.VALUE_STRING ? p.getText() : skip(p, null);
          case "stream" -> stream = v == JsonToken.VALUE_TRUE;
          case "stream_options" -> {
            hasStreamOptions = true;
            streamOptionsIsObject = v == JsonToken.START_OBJECT;
            if (streamOptionsIsObject) {
              JsonNode so = p.readValueAsTree();
              JsonNode iu = so.get("include_usage");
              includeUsage = iu == null || iu.isNull() ? null : iu.asBoolean();
            } else {
              p.skipChildren();
            }
          }
          case "messages" -> messages = keepContent ? p.readValueAsTree() : skip(p, null);
          case "input" -> input = keepContent ? p.readValueAsTree() : skip(p, null);
          case "prompt" -> prompt = keepContent ? p.readValueAsTree() : skip(p, null);
          case "instructions" -> instructions = keepContent ? p.readValueAsTree() : skip(p, null);
          case "tools" -> tools = keepContent ? p.readValueAsTree() : skip(p, null);
          case "system" -> system = keepContent ? p.readValueAsTree() : skip(p, null);
          default -> p.skipChildren();
        }
      }
      if (t != JsonToken.END_OBJECT) {
        return UNREADABLE;
      }
      return new RequestInfo(model, stream, includeUsage, hasStreamOptions, streamOptionsIsObject, messages, input,
          prompt, instructions, tools, true, system);
    } catch (IOException | RuntimeException e) {
      return UNREADABLE;
    }
  }

  /** Whether the gateway asks the upstream for usage the client did not ask for. */
  boolean needsUsageInjection(Operation op) {
    return parsed && op == Operation.CHAT && stream && !Boolean.TRUE.equals(includeUsage)
        && (!hasStreamOptions || streamOptionsIsObject);
  }

  /**
   * The body with {@code stream_options.include_usage} set. Without {@code stream_options} the
   * member is spliced in after the opening brace, leaving every other byte as the client sent it.
   */
  static byte[] withIncludeUsage(byte[] body, RequestInfo info) throws IOException {
    if (!info.hasStreamOptions) {
      int brace = JsonBytes.skipWs(body, 0, body.length);
      byte[] member = "\"stream_options\":{\"include_usage\":true},".getBytes(StandardCharsets.US_ASCII);
      byte[] out = new byte[body.length + member.length];
      System.arraycopy(body, 0, out, 0, brace + 1);
      System.arraycopy(member, 0, out, brace + 1, member.length);
      System.arraycopy(body, brace + 1, out, brace + 1 + member.length, body.length - brace - 1);
      return out;
    }
    ObjectNode root = (ObjectNode) JSON.readTree(body);
    ((ObjectNode) root.get("stream_options")).put("include_usage", true);
    return JSON.writeValueAsBytes(root);
  }

  private static <T> T skip(JsonParser p, T value) throws IOException {
    p.skipChildren();
    return value;
  }
}
