package dev.sightline.evaluators;

/**
 * One piece of context an answer may rest on.
 *
 * @param source where it came from, for people: {@code retrieval}, {@code tool}, {@code system},
 *     {@code user}, {@code assistant}
 * @param spanId the span that carried it (a retrieval or tool span, or the LLM call itself)
 * @param title a short name: the span's name or the document's id; may be null
 * @param text the passage's text
 */
public record ContextPassage(String source, String spanId, String title, String text) {
  public ContextPassage {
    text = text == null ? "" : text;
  }
}
