package dev.sightline.pipeline;

import dev.sightline.model.Content;
import java.util.List;
import java.util.Objects;

/**
 * Replaces personal data and secrets in text with typed masks, keeping every other character as
 * it was. The masks: {@code [email]}, {@code [phone]}, {@code [card]} (Luhn-valid), {@code [iban]}
 * (mod-97-valid), {@code [national-id]} (US SSN, UK National Insurance number), {@code [api-key]}
 * (provider API keys, bearer tokens, labelled AWS secret keys), {@code [private-key]} (PEM blocks)
 * and {@code [jwt]}. A mask holds no quote or backslash, so JSON text stays valid JSON.
 *
 * <p>One pass over the text, linear in its length whatever it holds; thread-safe.
 */
public final class PiiMasker {
  private final PiiCounters counters;

  /** A masker that counts what it masks in {@code counters}. */
  public PiiMasker(PiiCounters counters) {
    this.counters = Objects.requireNonNull(counters, "counters");
  }

  /** A masker with counters of its own. */
  public PiiMasker() {
    this(new PiiCounters());
  }

  public PiiCounters counters() {
    return counters;
  }

  /** The text with what it holds of personal data masked; the same instance when there was none (or null). */
  public String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    List<PiiScanner.Finding> found = PiiScanner.scan(text);
    if (found == null) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int last = 0;
    for (PiiScanner.Finding f : found) {
      out.append(text, last, f.start()).append(f.kind().mask);
      counters.masked(f.kind());
      last = f.end();
    }
    return out.append(text, last, text.length()).toString();
  }

  /** The content with each of its JSON strings masked; the same instance when nothing was masked. */
  public Content mask(Content content) {
    if (content == null || content.isEmpty()) {
      return content;
    }
    String in = mask(content.inputMessagesJson());
    String out = mask(content.outputMessagesJson());
    String system = mask(content.systemInstructionsJson());
    String tools = mask(content.toolDefinitionsJson());
    if (in == content.inputMessagesJson() && out == content.outputMessagesJson()
        && system == content.systemInstructionsJson() && tools == content.toolDefinitionsJson()) {
      return content;
    }
    return new Content(in, out, system, tools);
  }
}
