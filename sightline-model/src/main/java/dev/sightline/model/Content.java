package dev.sightline.model;

/**
 * Captured prompt and response, as JSON strings in the OTel GenAI message shape
 * ({@code gen_ai.input.messages} / {@code gen_ai.output.messages}). Null when not captured.
 */
public record Content(String inputMessagesJson, String outputMessagesJson, String systemInstructionsJson,
    String toolDefinitionsJson) {
  public static final Content NONE = new Content(null, null, null, null);

  public boolean isEmpty() {
    return inputMessagesJson == null && outputMessagesJson == null && systemInstructionsJson == null
        && toolDefinitionsJson == null;
  }
}
