package dev.sightline.gateway;

/**
 * The operations the gateway records, recognised by how the request path ends (so Azure-style
 * {@code /openai/deployments/x/chat/completions} is recognised too). Each route's API has its own
 * set: {@link #MESSAGES} only on the Anthropic route, the {@code OLLAMA_*} operations only on the
 * Ollama route, and the Bedrock runtime operations only on the Bedrock route.
 */
enum Operation {
  CHAT("chat", "/chat/completions"),
  TEXT_COMPLETION("text_completion", "/completions"),
  RESPONSES("responses", "/responses"),
  EMBEDDINGS("embeddings", "/embeddings"),
  MESSAGES("chat", "/messages"),
  OLLAMA_CHAT("chat", "/api/chat"),
  OLLAMA_GENERATE("text_completion", "/api/generate"),
  CONVERSE("chat", "/converse"),
  CONVERSE_STREAM("chat", "/converse-stream"),
  INVOKE("chat", "/invoke"),
  INVOKE_STREAM("chat", "/invoke-with-response-stream");

  private static final String BEDROCK_MODEL = "/model/";

  final String wire;
  final String suffix;

  Operation(String wire, String suffix) {
    this.wire = wire;
    this.suffix = suffix;
  }

  /** The operation a POST to {@code path} (no query) performs, or null for paths passed through unrecorded. */
  static Operation of(String path) {
    if (path.endsWith(CHAT.suffix)) {
      return CHAT;
    }
    for (Operation op : new Operation[] {TEXT_COMPLETION, RESPONSES, EMBEDDINGS}) {
      if (path.endsWith(op.suffix)) {
        return op;
      }
    }
    return null;
  }

  /**
   * The operation a POST to {@code path} performs on the Anthropic route: only Messages itself,
   * not {@code /v1/messages/count_tokens} or {@code /v1/messages/batches}, which pass through unrecorded.
   */
  static Operation ofAnthropic(String path) {
    return path.endsWith(MESSAGES.suffix) ? MESSAGES : null;
  }

  /** Ollama's native {@code /api/chat} and {@code /api/generate}; {@code /api/tags}, {@code /api/pull}… pass through. */
  static Operation ofOllama(String path) {
    if (path.endsWith(OLLAMA_CHAT.suffix)) {
      return OLLAMA_CHAT;
    }
    return path.endsWith(OLLAMA_GENERATE.suffix) ? OLLAMA_GENERATE : null;
  }

  /**
   * The Bedrock runtime operation of {@code /model/{modelId}/…}; anything else (async invoke,
   * guardrails, count-tokens) passes through unrecorded, though still re-signed.
   */
  static Operation ofBedrock(String path) {
    if (bedrockModel(path) == null) {
      return null;
    }
    for (Operation op : new Operation[] {CONVERSE_STREAM, CONVERSE, INVOKE_STREAM, INVOKE}) {
      if (path.endsWith(op.suffix)) {
        return op;
      }
    }
    return null;
  }

  /** The (still percent-encoded) model id of a Bedrock runtime path {@code /model/{modelId}/{action}}, or null. */
  static String bedrockModel(String path) {
    if (!path.startsWith(BEDROCK_MODEL)) {
      return null;
    }
    int end = path.lastIndexOf('/');
    return end > BEDROCK_MODEL.length() ? path.substring(BEDROCK_MODEL.length(), end) : null;
  }

  boolean isBedrock() {
    return this == CONVERSE || this == CONVERSE_STREAM || this == INVOKE || this == INVOKE_STREAM;
  }

  boolean isOllama() {
    return this == OLLAMA_CHAT || this == OLLAMA_GENERATE;
  }
}
