package dev.sightline.gateway;

/**
 * The operations the gateway records, recognised by how the request path ends (so Azure-style
 * {@code /openai/deployments/x/chat/completions} is recognised too). {@link #MESSAGES} is the
 * Anthropic Messages API and is only recognised on the Anthropic route.
 */
enum Operation {
  CHAT("chat", "/chat/completions"),
  TEXT_COMPLETION("text_completion", "/completions"),
  RESPONSES("responses", "/responses"),
  EMBEDDINGS("embeddings", "/embeddings"),
  MESSAGES("chat", "/messages");

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
    for (Operation op : values()) {
      if (op != MESSAGES && path.endsWith(op.suffix)) {
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
}
