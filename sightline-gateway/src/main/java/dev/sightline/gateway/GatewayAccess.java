package dev.sightline.gateway;

import dev.sightline.model.TelemetryBatch;
import java.util.function.Function;

/**
 * Asked before the gateway relays anything: whether the caller may use the route, which project its
 * calls belong to, and (for a virtual key) the provider key the upstream gets instead of the caller's.
 */
@FunctionalInterface
public interface GatewayAccess {
  /** Every caller allowed, into the default project, with its own provider credentials (local use). */
  GatewayAccess OPEN = (header, provider) -> Decision.allow(TelemetryBatch.DEFAULT_PROJECT, null);

  /**
   * @param header the request's header value by lower-case name ({@code authorization},
   *     {@code x-api-key}, {@code x-sightline-key}…), null when absent
   * @param provider the route being called: {@code openai}, {@code anthropic}, {@code ollama},
   *     {@code bedrock}, or a named route's name
   */
  Decision check(Function<String, String> header, String provider);

  /**
   * Allowed ({@code error} null): the project the call is recorded in, and {@code upstreamKey}, the
   * provider key that replaces the caller's credential (null: the caller's own is forwarded).
   * Refused: {@code error} says why, in a sentence that must not repeat any key.
   */
  record Decision(String project, String upstreamKey, String error) {
    public static Decision allow(String project, String upstreamKey) {
      return new Decision(project == null ? TelemetryBatch.DEFAULT_PROJECT : project, upstreamKey, null);
    }

    public static Decision refuse(String message) {
      return new Decision(null, null, message == null || message.isBlank() ? "unauthorized" : message);
    }

    public boolean allowed() {
      return error == null;
    }

    /** Never shows the upstream key (records print themselves in logs and assertion messages). */
    @Override
    public String toString() {
      return "Decision[project=" + project + ", upstreamKey=" + (upstreamKey == null ? "null" : "[redacted]")
          + ", error=" + error + "]";
    }
  }
}
