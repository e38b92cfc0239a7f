package dev.sightline.pipeline;

import dev.sightline.model.TelemetryBatch;
import java.util.function.Function;

/**
 * Decides whether an ingest request may send telemetry, and into which project, from its headers
 * (before its body is read). The server builds one from its access control; {@link #OPEN} lets
 * everything in, into the default project.
 */
@FunctionalInterface
public interface IngestAuth {
  /** Allows every request, as data of the default project (open mode, and the receivers' old constructors). */
  IngestAuth OPEN = h -> Decision.allow(TelemetryBatch.DEFAULT_PROJECT);

  /**
   * @param header a request header by lower-case name ({@code authorization}, {@code x-sightline-key}),
   *     null when absent
   */
  Decision check(Function<String, String> header);

  /**
   * Allowed into {@code project}, or refused with an {@code error} that tells the sender what to do.
   */
  record Decision(String project, String error) {
    public static Decision allow(String project) {
      return new Decision(project == null ? TelemetryBatch.DEFAULT_PROJECT : project, null);
    }

    public static Decision refuse(String message) {
      return new Decision(null, message == null || message.isBlank() ? "not allowed to send telemetry" : message);
    }

    public boolean allowed() {
      return error == null;
    }
  }
}
