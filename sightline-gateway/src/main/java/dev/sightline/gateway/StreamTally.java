package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a streamed response (OpenAI-compatible, or Anthropic Messages) showed, event by event: when generated content
 * arrived (first, last, longest pause), the response model, finish reasons, an in-stream error and
 * the reported usage. Per event it only scans bytes; it builds a JSON tree only for the few events
 * that carry usage, an error or a final response object, or for content when capture is on.
 */
final class StreamTally {
  private static final byte[] CONTENT = JsonBytes.key("content");
  private static final byte[] REASONING_CONTENT = JsonBytes.key("reasoning_content");
  private static final byte[] REASONING = JsonBytes.key("reasoning");
  private static final byte[] ARGUMENTS = JsonBytes.key("arguments");
  private static final byte[] REFUSAL = JsonBytes.key("refusal");
  private static final byte[] TEXT = JsonBytes.key("text");
  private static final byte[] DELTA = JsonBytes.key("delta");
  private static final byte[] MODEL = JsonBytes.key("model");
  private static final byte[] FINISH_REASON = JsonBytes.key("finish_reason");
  private static final byte[] USAGE = JsonBytes.key("usage");
  private static final byte[] CHOICES = JsonBytes.key("choices");
  private static final byte[] ERROR = JsonBytes.key("error");
  private static final byte[] TYPE = JsonBytes.key("type");
  private static final byte[] THINKING = JsonBytes.key("thinking");
  private static final byte[] PARTIAL_JSON = JsonBytes.key("partial_json");

  private final Operation op;
  private final boolean captureText;

  long firstContentNanos = -1;
  long lastContentNanos = -1;
  long maxGapNanos;
  int contentEvents;
  String responseModel;
  final List<String> finishReasons = new ArrayList<>(1);
  Usage usage = Usage.NONE;
  String errorType;
  boolean sawDone;
  /** The final response object of a Responses API stream. */
  JsonNode finalResponse;
  private StringBuilder text;
  /** Anthropic: the usage fields seen so far, merged from {@code message_start} and {@code message_delta}. */
  private ObjectNode anthropicUsage;
  /** Anthropic: whether a {@code message_delta} (with the final output count) arrived. */
  boolean sawMessageDelta;

  StreamTally(Operation op, boolean captureText) {
    this.op = op;
    this.captureText = captureText;
  }

  /**
   * Observes one event that arrived at {@code nanos}. Returns true when the event is the usage-only
   * chunk that the gateway itself asked for and must not reach the client.
   */
  boolean onEvent(SseSplitter.Event e, long nanos, boolean usageInjected) throws IOException {
    byte[] d = e.data();
    if (d == null || d.length == 0) {
      return false;
    }
    if (e.isDone()) {
      sawDone = true;
      return false;
    }
    return switch (op) {
      case RESPONSES -> responsesEvent(e, d, nanos);
      case MESSAGES -> anthropicEvent(e, d, nanos);
      default -> chunk(d, nanos, usageInjected);
    };
  }

  /**
   * One Anthropic Messages event. Generated content is a {@code content_block_delta} with non-empty
   * text, thinking or tool input JSON; {@code message_start} carries the model and the input side
   * of usage, {@code message_delta} the stop reason and the cumulative output tokens.
   */
  private boolean anthropicEvent(SseSplitter.Event e, byte[] d, long nanos) throws IOException {
    int n = d.length;
    String type = e.name() != null ? e.name() : JsonBytes.simpleString(d, 0, n, TYPE);
    if (type == null) {
      return false;
    }
    switch (type) {
      case "content_block_delta" -> {
        if (JsonBytes.hasNonEmptyString(d, 0, n, TEXT) || JsonBytes.hasNonEmptyString(d, 0, n, THINKING)
            || JsonBytes.hasNonEmptyString(d, 0, n, PARTIAL_JSON)) {
          token(nanos);
          if (captureText) {
            JsonNode delta = RequestInfo.JSON.readTree(d).path("delta");
            if (delta.path("type").asText().equals("text_delta")) {
              appendText(delta.path("text").asText(""));
            }
          }
        }
      }
      case "message_start" -> {
        JsonNode message = RequestInfo.JSON.readTree(d).path("message");
        String model = message.path("model").asText(null);
        if (model != null) {
          responseModel = model;
        }
        anthropicUsage(message.get("usage"));
      }
      case "message_delta" -> {
        JsonNode root = RequestInfo.JSON.readTree(d);
        String stop = root.path("delta").path("stop_reason").asText(null);
        if (stop != null && !finishReasons.contains(stop)) {
          finishReasons.add(stop);
        }
        sawMessageDelta = true;
        anthropicUsage(root.get("usage"));
      }
      case "error" -> errorType = ErrorBodies.typeOf(RequestInfo.JSON.readTree(d));
      default -> { }
    }
    return false;
  }

  private void anthropicUsage(JsonNode reported) {
    if (reported == null || !reported.isObject()) {
      return;
    }
    if (anthropicUsage == null) {
      anthropicUsage = RequestInfo.JSON.createObjectNode();
    }
    AnthropicUsage.merge(anthropicUsage, reported);
    usage = AnthropicUsage.of(anthropicUsage);
  }

  private boolean chunk(byte[] d, long nanos, boolean usageInjected) throws IOException {
    int n = d.length;
    if (responseModel == null) {
      responseModel = JsonBytes.simpleString(d, 0, n, MODEL);
    }
    boolean content = JsonBytes.hasNonEmptyString(d, 0, n, CONTENT)
        || JsonBytes.hasNonEmptyString(d, 0, n, REASONING_CONTENT)
        || JsonBytes.hasNonEmptyString(d, 0, n, REASONING)
        || JsonBytes.hasNonEmptyString(d, 0, n, ARGUMENTS)
        || JsonBytes.hasNonEmptyString(d, 0, n, REFUSAL)
        || (op == Operation.TEXT_COMPLETION && JsonBytes.hasNonEmptyString(d, 0, n, TEXT));
    if (content) {
      token(nanos);
      if (captureText) {
        appendDeltaText(RequestInfo.JSON.readTree(d));
      }
    }
    String finish = JsonBytes.simpleString(d, 0, n, FINISH_REASON);
    if (finish != null && !finishReasons.contains(finish)) {
      finishReasons.add(finish);
    }
    int u = JsonBytes.valueOf(d, 0, n, USAGE);
    boolean usageChunk = false;
    if (u >= 0 && d[u] == '{') {
      JsonNode root = RequestInfo.JSON.readTree(d);
      Usage reported = ReportedUsage.of(root.get("usage"));
      if (reported.hasTokens() || reported.rejectedReason() != null) {
        usage = reported;
      }
      JsonNode choices = root.get("choices");
      usageChunk = choices != null && choices.isArray() && choices.isEmpty();
    }
    int err = JsonBytes.valueOf(d, 0, n, ERROR);
    if (err >= 0 && d[err] == '{') {
      errorType = ErrorBodies.typeOf(RequestInfo.JSON.readTree(d));
    }
    return usageInjected && usageChunk && !content;
  }

  private boolean responsesEvent(SseSplitter.Event e, byte[] d, long nanos) throws IOException {
    int n = d.length;
    String type = e.name() != null ? e.name() : JsonBytes.simpleString(d, 0, n, TYPE);
    if (type == null) {
      return false;
    }
    if (type.endsWith(".delta")) {
      if (JsonBytes.hasNonEmptyString(d, 0, n, DELTA)) {
        token(nanos);
        if (captureText && type.equals("response.output_text.delta")) {
          appendText(RequestInfo.JSON.readTree(d).path("delta").asText(""));
        }
      }
      return false;
    }
    switch (type) {
      case "response.created", "response.in_progress" -> {
        if (responseModel == null) {
          responseModel = JsonBytes.simpleString(d, 0, n, MODEL);
        }
      }
      case "response.completed", "response.incomplete", "response.failed" -> {
        JsonNode response = RequestInfo.JSON.readTree(d).get("response");
        if (response != null) {
          finalResponse = response;
          String model = response.path("model").asText(null);
          if (model != null) {
            responseModel = model;
          }
          usage = ReportedUsage.of(response.get("usage"));
          String reason = response.path("incomplete_details").path("reason").asText(null);
          String status = response.path("status").asText(null);
          String finish = reason != null ? reason : status;
          if (finish != null && !finishReasons.contains(finish)) {
            finishReasons.add(finish);
          }
          if (response.hasNonNull("error")) {
            errorType = ErrorBodies.typeOf(response);
          }
        }
      }
      case "error" -> errorType = ErrorBodies.typeOf(RequestInfo.JSON.readTree(d));
      default -> { }
    }
    return false;
  }

  private void token(long nanos) {
    if (firstContentNanos < 0) {
      firstContentNanos = nanos;
    } else {
      maxGapNanos = Math.max(maxGapNanos, nanos - lastContentNanos);
    }
    lastContentNanos = nanos;
    contentEvents++;
  }

  private void appendDeltaText(JsonNode chunk) {
    JsonNode choice = chunk.path("choices").path(0);
    JsonNode t = op == Operation.TEXT_COMPLETION ? choice.get("text") : choice.path("delta").get("content");
    if (t != null && t.isTextual()) {
      appendText(t.asText());
    }
  }

  private void appendText(String s) {
    if (text == null) {
      text = new StringBuilder();
    }
    if (text.length() < GenAiMessages.MAX_TEXT) {
      text.append(s);
    }
  }

  String text() {
    return text == null ? "" : text.toString();
  }
}
