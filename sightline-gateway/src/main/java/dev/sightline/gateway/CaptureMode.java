package dev.sightline.gateway;

/**
 * What the gateway keeps of the calls it proxies.
 *
 * <ul>
 *   <li>{@link #ON}: the call is recorded with its prompt and response as {@code Content}
 *       (OTel GenAI message shape). Sightline does not redact content yet: use METADATA for sensitive traffic.
 *   <li>{@link #METADATA}: the call is recorded (model, tokens, timing, outcome, attribution)
 *       but no prompt or response text.
 *   <li>{@link #OFF}: nothing is recorded at all and requests are forwarded byte for byte (no
 *       {@code include_usage} injection): the gateway is a plain proxy for that traffic.
 * </ul>
 */
public enum CaptureMode {
  ON, METADATA, OFF
}
