package dev.sightline.gateway;

/**
 * The OpenAI-compatible operations the gateway records, recognised by how the request path ends
 * (so Azure-style {@code /openai/deployments/x/chat/completions} is recognised too).
 */
enum Operation {
  CHAT("chat", "/chat/completions"),
  TEXT_COMPLETION("text_completion", "/completions"),
  RESPONSES("responses", "/responses"),
  EMBEDDINGS("embeddings", "/embeddings");

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
      if (path.endsWith(op.suffix)) {
        return op;
      }
    }
    return null;
  }
}
