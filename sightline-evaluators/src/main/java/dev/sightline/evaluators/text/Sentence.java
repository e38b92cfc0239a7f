package dev.sightline.evaluators.text;

/**
 * One sentence (or list item) of a text, with its character offsets into the original so that a
 * user interface can mark it.
 *
 * @param text the original characters from {@code start} to {@code end}, list markers excluded
 * @param start offset of the first character in the original text
 * @param end offset just past the last character
 */
public record Sentence(String text, int start, int end) {

  /** The text without markdown emphasis and code marks, for matching (offsets do not apply). */
  public String plain() {
    return text.replace("**", "").replace("__", "").replace("`", "").strip();
  }
}
