package dev.sightline.gateway;

import dev.sightline.model.Content;
import dev.sightline.pipeline.PiiMasker;

/**
 * What the gateway keeps of the calls it proxies.
 *
 * <ul>
 *   <li>{@link #ON}: the call is recorded with its prompt and response as {@code Content}
 *       (OTel GenAI message shape). The server's PII mode (mask by default) then applies to it.
 *   <li>{@link #MASKED}: as ON, but personal data and secrets in the prompt and response are masked
 *       in the gateway itself, before the record leaves it, whatever the server's PII mode.
 *   <li>{@link #METADATA}: the call is recorded (model, tokens, timing, outcome, attribution)
 *       but no prompt or response text.
 *   <li>{@link #OFF}: nothing is recorded at all and requests are forwarded byte for byte (no
 *       {@code include_usage} injection): the gateway is a plain proxy for that traffic.
 * </ul>
 */
public enum CaptureMode {
  ON, MASKED, METADATA, OFF;

  /** One masker for every route that stores masked content (it is thread-safe). */
  private static final PiiMasker MASKER = new PiiMasker();

  /** Whether prompt and response text is captured at all. */
  boolean capturesContent() {
    return this == ON || this == MASKED;
  }

  /** The captured content as this mode stores it. */
  Content stored(Content content) {
    return switch (this) {
      case ON -> content;
      case MASKED -> MASKER.mask(content);
      case METADATA, OFF -> Content.NONE;
    };
  }
}
