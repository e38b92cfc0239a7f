package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.Usage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a streamed response showed, event by event: when generated content arrived (first, last,
 * longest pause), the response model, finish reasons, an in-stream error and the reported usage.
 * It reads OpenAI-compatible and Anthropic SSE events, Ollama's NDJSON lines and Bedrock's event
 * stream messages. Per event it only scans bytes; it builds a JSON tree only for the few events
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
  private static final byte[] SERVICE_TIER = JsonBytes.key("service_tier");
  private static final byte[] FINISH_REASON = JsonBytes.key("finish_reason");
  private static final byte[] USAGE = JsonBytes.key("usage");
  private static final byte[] CHOICES = JsonBytes.key("choices");
  private static final byte[] ERROR = JsonBytes.key("error");
  private static final byte[] TYPE = JsonBytes.key("type");
  private static final byte[] THINKING = JsonBytes.key("thinking");
  private static final byte[] PARTIAL_JSON = JsonBytes.key("partial_json");
  private static final byte[] RESPONSE = JsonBytes.key("response");
  private static final byte[] TOOL_CALLS = JsonBytes.key("tool_calls");
  private static final byte[] DONE = JsonBytes.key("done");
  private static final byte[] INPUT = JsonBytes.key("input");
  private static final byte[] BYTES = JsonBytes.key("bytes");
  private static final byte[] GENERATION = JsonBytes.key("generation");
  private static final byte[] OUTPUT_TEXT = JsonBytes.key("outputText");
  private static final byte[] COMPLETION = JsonBytes.key("completion");
  private static final byte[] INVOCATION_METRICS = JsonBytes.key("amazon-bedrock-invocationMetrics");

  private final Operation op;
  private final boolean captureText;

  long firstContentNanos = -1;
  long lastContentNanos = -1;
  long maxGapNanos;
  int contentEvents;
  String responseModel;
  /** The service tier the provider says served the call (OpenAI chunks, Anthropic usage), or null. */
  String serviceTier;
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
  /** Bedrock InvokeModelWithResponseStream: the usage in its closing invocation metrics. */
  private Usage invocationUsage = Usage.NONE;
  /** Timings and other numbers the provider reported about the call, recorded as span attributes. */
  final Map<String, Object> facts = new LinkedHashMap<>(4);

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
      case MESSAGES -> anthropicEvent(e.name() != null ? e.name() : JsonBytes.simpleString(d, 0, d.length, TYPE), d,
          nanos);
      default -> chunk(d, nanos, usageInjected);
    };
  }

  /**
   * One line of an Ollama {@code /api/chat} or {@code /api/generate} stream. Generated content is a
   * non-empty {@code message.content} / {@code response}, {@code thinking}, or tool calls; the last
   * line ({@code "done":true}) carries the done reason, the eval counts and Ollama's durations.
   */
  void onOllamaLine(byte[] d, long nanos) throws IOException {
    int n = d.length;
    if (JsonBytes.skipWs(d, 0, n) == n) {
      return;
    }
    if (responseModel == null) {
      responseModel = JsonBytes.simpleString(d, 0, n, MODEL);
    }
    int calls = JsonBytes.valueOf(d, 0, n, TOOL_CALLS);
    boolean content = JsonBytes.hasNonEmptyString(d, 0, n, CONTENT) || JsonBytes.hasNonEmptyString(d, 0, n, RESPONSE)
        || JsonBytes.hasNonEmptyString(d, 0, n, THINKING)
        || (calls >= 0 && d[calls] == '[' && JsonBytes.skipWs(d, calls + 1, n) < n && d[JsonBytes.skipWs(d, calls + 1, n)] != ']');
    if (content) {
      token(nanos);
      if (captureText) {
        JsonNode root = RequestInfo.JSON.readTree(d);
        JsonNode t = op == Operation.OLLAMA_GENERATE ? root.get("response") : root.path("message").get("content");
        if (t != null && t.isTextual()) {
          appendText(t.asText());
        }
      }
    }
    int done = JsonBytes.valueOf(d, 0, n, DONE);
    int err = JsonBytes.valueOf(d, 0, n, ERROR);
    if ((done >= 0 && d[done] == 't') || err >= 0) {
      JsonNode root = RequestInfo.JSON.readTree(d);
      if (err >= 0) {
        String type = ErrorBodies.typeOf(root);
        errorType = type != null ? type : "stream_error";
      }
      String reason = root.path("done_reason").asText(null);
      if (reason != null && !finishReasons.contains(reason)) {
        finishReasons.add(reason);
      }
      Usage reported = OllamaUsage.of(root);
      if (reported.hasTokens() || reported.rejectedReason() != null) {
        usage = reported;
      }
      OllamaUsage.durations(root, facts);
    }
  }

  /**
   * One message of a Bedrock event stream. ConverseStream's events are named by {@code :event-type}
   * ({@code contentBlockDelta}, {@code messageStop}, {@code metadata}…); InvokeModelWithResponseStream
   * wraps each of the model's own chunks, base64-encoded, in a {@code chunk} event. Exceptions
   * ({@code :message-type} {@code exception}) name their type in {@code :exception-type}.
   */
  void onBedrockMessage(EventStreamDecoder.Message m, long nanos) throws IOException {
    String messageType = m.header(":message-type");
    if ("exception".equals(messageType)) {
      errorType = m.header(":exception-type");
      return;
    }
    if ("error".equals(messageType)) {
      errorType = m.header(":error-code");
      return;
    }
    String type = m.header(":event-type");
    byte[] d = m.payload();
    if (type == null || d.length == 0) {
      return;
    }
    if (op == Operation.INVOKE_STREAM) {
      if (type.equals("chunk")) {
        String b64 = JsonBytes.simpleString(d, 0, d.length, BYTES);
        byte[] chunk = b64 == null ? RequestInfo.JSON.readTree(d).path("bytes").binaryValue() : Base64.getDecoder()
            .decode(b64);
        if (chunk != null) {
          invokeChunk(chunk, nanos);
        }
      }
      return;
    }
    int n = d.length;
    switch (type) {
      case "contentBlockDelta" -> {
        // text, tool input (a JSON string) or reasoning text; not a reasoning signature
        if (JsonBytes.hasNonEmptyString(d, 0, n, TEXT) || JsonBytes.hasNonEmptyString(d, 0, n, INPUT)) {
          token(nanos);
          if (captureText) {
            JsonNode delta = RequestInfo.JSON.readTree(d).path("delta");
            if (delta.path("text").isTextual()) {
              appendText(delta.get("text").asText());
            }
          }
        }
      }
      case "messageStop" -> {
        String stop = JsonBytes.simpleString(d, 0, n, JsonBytes.key("stopReason"));
        if (stop != null && !finishReasons.contains(stop)) {
          finishReasons.add(stop);
        }
      }
      case "metadata" -> {
        JsonNode root = RequestInfo.JSON.readTree(d);
        Usage reported = BedrockUsage.converse(root.get("usage"));
        if (reported.hasTokens() || reported.rejectedReason() != null) {
          usage = reported;
        }
        JsonNode latency = root.path("metrics").get("latencyMs");
        if (latency != null && latency.isNumber()) {
          facts.put("aws.bedrock.latency_ms", latency.asDouble());
        }
      }
      default -> { }
    }
  }

  /**
   * One model chunk of an InvokeModelWithResponseStream: Anthropic's own stream events for Claude
   * models (read as on the Anthropic route), the generated text of other model families, and the
   * closing {@code amazon-bedrock-invocationMetrics}.
   */
  private void invokeChunk(byte[] d, long nanos) throws IOException {
    int n = d.length;
    String type = JsonBytes.simpleString(d, 0, n, TYPE);
    if (type != null) {
      anthropicEvent(type, d, nanos);
    } else if (JsonBytes.hasNonEmptyString(d, 0, n, GENERATION) || JsonBytes.hasNonEmptyString(d, 0, n, OUTPUT_TEXT)
        || JsonBytes.hasNonEmptyString(d, 0, n, COMPLETION) || JsonBytes.hasNonEmptyString(d, 0, n, TEXT)) {
      token(nanos);
    }
    int metrics = JsonBytes.valueOf(d, 0, n, INVOCATION_METRICS);
    if (metrics >= 0 && d[metrics] == '{') {
      JsonNode m = RequestInfo.JSON.readTree(d).get("amazon-bedrock-invocationMetrics");
      invocationUsage = BedrockUsage.invocationMetrics(m);
      for (String[] f : new String[][] {{"firstByteLatency", "aws.bedrock.first_byte_latency_ms"},
          {"invocationLatency", "aws.bedrock.invocation_latency_ms"}}) {
        JsonNode v = m.get(f[0]);
        if (v != null && v.isNumber()) {
          facts.put(f[1], v.asDouble());
        }
      }
    }
  }

  /** The usage to record: what the stream reported, else (Bedrock invoke) its invocation metrics. */
  Usage finalUsage() {
    return usage.hasTokens() || usage.rejectedReason() != null ? usage : invocationUsage;
  }

  /**
   * One Anthropic Messages event. Generated content is a {@code content_block_delta} with non-empty
   * text, thinking or tool input JSON; {@code message_start} carries the model and the input side
   * of usage, {@code message_delta} the stop reason and the cumulative output tokens.
   */
  private boolean anthropicEvent(String type, byte[] d, long nanos) throws IOException {
    int n = d.length;
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
        serviceTier = message.path("usage").path("service_tier").asText(serviceTier);
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
      // OpenAI puts the tier in every chunk beside the model: read once, not on every chunk
      serviceTier = JsonBytes.simpleString(d, 0, n, SERVICE_TIER);
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
          serviceTier = response.path("service_tier").asText(serviceTier);
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
