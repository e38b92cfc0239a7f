package dev.sightline.receivers;

import dev.sightline.model.TelemetryBatch;

/**
 * Test access to the OTLP decoder the receivers use, for the bus's round-trip tests: batches exactly
 * as the receivers hand them to the pipeline (this class sits in the receivers' package for that).
 */
public final class ReceivedFixtures {
  private static final OtlpDecoder DECODER = new OtlpDecoder(ReceiverLimits.defaults());

  private ReceivedFixtures() {}

  public static TelemetryBatch tracesJson(byte[] body) throws MalformedRequestException {
    return DECODER.decodeJson(Signal.TRACES, body, "otlp-http").batch();
  }

  public static TelemetryBatch logsJson(byte[] body) throws MalformedRequestException {
    return DECODER.decodeJson(Signal.LOGS, body, "otlp-http").batch();
  }

  public static TelemetryBatch metricsJson(byte[] body) throws MalformedRequestException {
    return DECODER.decodeJson(Signal.METRICS, body, "otlp-http").batch();
  }

  public static TelemetryBatch tracesProtobuf(byte[] body) throws MalformedRequestException {
    return DECODER.decodeProtobuf(Signal.TRACES, body, "otlp-grpc").batch();
  }
}
