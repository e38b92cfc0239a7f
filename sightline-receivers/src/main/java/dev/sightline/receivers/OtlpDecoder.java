package dev.sightline.receivers;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import dev.sightline.model.TelemetryBatch;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;

/**
 * Decodes OTLP request bodies, protobuf or JSON, into a {@link Decoded}. The protobuf happy path is
 * the generated parser; the lenient walker runs only when that parser refuses the body.
 */
final class OtlpDecoder {
  private final ReceiverLimits limits;
  private final OtlpConverter converter;
  private final JsonFactory json;

  OtlpDecoder(ReceiverLimits limits) {
    this.limits = limits;
    this.converter = new OtlpConverter(limits);
    this.json = jsonFactory(limits);
  }

  /** The parser settings for OTLP/JSON bodies: strings up to the request limit, nesting to 200 levels. */
  static JsonFactory jsonFactory(ReceiverLimits limits) {
    return JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxStringLength((int) Math.min(Integer.MAX_VALUE, limits.maxRequestBytes()))
            .maxNestingDepth(200)
            .build())
        .build();
  }

  Decoded decodeProtobuf(Signal signal, byte[] body, String receiver) throws MalformedRequestException {
    DecodeReport report = new DecodeReport(limits);
    try {
      return convert(signal, parse(signal, body), receiver, report);
    } catch (InvalidProtocolBufferException first) {
      LenientProtoParser.Repaired repaired;
      try {
        repaired = LenientProtoParser.repair(signal.requestType, body);
      } catch (InvalidProtocolBufferException e) {
        throw malformed(signal, first);
      }
      if (repaired.repairedStrings() == 0) {
        throw malformed(signal, first);
      }
      report.repairedStrings(repaired.repairedStrings());
      try {
        return convert(signal, parse(signal, repaired.bytes()), receiver, report);
      } catch (InvalidProtocolBufferException e) {
        throw malformed(signal, e);
      }
    }
  }

  Decoded decodeJson(Signal signal, byte[] body, String receiver) throws MalformedRequestException {
    DecodeReport report = new DecodeReport(limits);
    return convert(signal, readJson(signal, body, report), receiver, report);
  }

  /** The request message of an OTLP/JSON body, streamed from its tokens; what was lost goes to {@code report}. */
  Object readJson(Signal signal, byte[] body, DecodeReport report) throws MalformedRequestException {
    // Jackson refuses bytes that are not UTF-8; decode them with U+FFFD instead, as for protobuf.
    boolean utf8 = UnsafeByteOperations.unsafeWrap(body).isValidUtf8();
    if (!utf8) {
      report.repairedStrings(1);
    }
    try (JsonParser p = utf8 ? json.createParser(body) : json.createParser(new String(body, StandardCharsets.UTF_8))) {
      return OtlpJsonReader.read(signal, p, report);
    } catch (JacksonException e) {
      throw new MalformedRequestException("malformed JSON body for " + signal.httpPath + ": "
          + e.getOriginalMessage() + locationOf(e));
    } catch (java.io.IOException e) {
      throw new MalformedRequestException("unreadable JSON body for " + signal.httpPath + ": " + e.getMessage());
    } catch (OtlpJsonReader.NotAnObject e) {
      throw new MalformedRequestException("the JSON body for " + signal.httpPath + " must be an object such as {\""
          + envelope(signal) + "\":[…]}, got " + e.getMessage());
    } catch (JsonScalars.BadField e) {
      throw new MalformedRequestException("the JSON body is not an OTLP " + envelope(signal) + " request: "
          + e.getMessage());
    }
  }

  private static Object parse(Signal signal, byte[] body) throws InvalidProtocolBufferException {
    return switch (signal) {
      case TRACES -> ExportTraceServiceRequest.parseFrom(body);
      case LOGS -> ExportLogsServiceRequest.parseFrom(body);
      case METRICS -> ExportMetricsServiceRequest.parseFrom(body);
    };
  }

  private Decoded convert(Signal signal, Object request, String receiver, DecodeReport report) {
    TelemetryBatch batch = switch (signal) {
      case TRACES -> TelemetryBatch.ofSpans(receiver, converter.spans((ExportTraceServiceRequest) request, report));
      case LOGS -> TelemetryBatch.ofLogs(receiver, converter.logs((ExportLogsServiceRequest) request, report));
      case METRICS -> TelemetryBatch.ofMetrics(receiver,
          converter.metrics((ExportMetricsServiceRequest) request, report));
    };
    return new Decoded(signal, batch, report.rejected(), report.message(signal.noun()));
  }

  private static MalformedRequestException malformed(Signal signal, InvalidProtocolBufferException e) {
    return new MalformedRequestException("malformed protobuf body: not a valid "
        + signal.requestType.getName() + " (" + e.getMessage() + ")");
  }

  private static String envelope(Signal signal) {
    return switch (signal) {
      case TRACES -> "resourceSpans";
      case LOGS -> "resourceLogs";
      case METRICS -> "resourceMetrics";
    };
  }

  private static String locationOf(JacksonException e) {
    return e.getLocation() == null ? ""
        : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
  }
}
