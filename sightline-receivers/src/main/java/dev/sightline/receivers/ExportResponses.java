package dev.sightline.receivers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Message;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsPartialSuccess;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

/** The answers of the OTLP receivers: export responses with partial success, and error bodies. */
final class ExportResponses {
  static final MediaType PROTOBUF = MediaType.create("application", "x-protobuf");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ExportResponses() {}

  /** The Export*ServiceResponse for a decoded request, with partial_success when there is any. */
  static Message protobuf(Decoded d) {
    boolean partial = d.rejected() > 0 || d.message() != null;
    String message = d.message() == null ? "" : d.message();
    return switch (d.signal()) {
      case TRACES -> partial
          ? ExportTraceServiceResponse.newBuilder().setPartialSuccess(ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(d.rejected()).setErrorMessage(message)).build()
          : ExportTraceServiceResponse.getDefaultInstance();
      case LOGS -> partial
          ? ExportLogsServiceResponse.newBuilder().setPartialSuccess(ExportLogsPartialSuccess.newBuilder()
              .setRejectedLogRecords(d.rejected()).setErrorMessage(message)).build()
          : ExportLogsServiceResponse.getDefaultInstance();
      case METRICS -> partial
          ? ExportMetricsServiceResponse.newBuilder().setPartialSuccess(ExportMetricsPartialSuccess.newBuilder()
              .setRejectedDataPoints(d.rejected()).setErrorMessage(message)).build()
          : ExportMetricsServiceResponse.getDefaultInstance();
    };
  }

  static HttpResponse success(Decoded d, boolean json) {
    if (!json) {
      return HttpResponse.of(HttpStatus.OK, PROTOBUF, protobuf(d).toByteArray());
    }
    ObjectNode root = JSON.createObjectNode();
    if (d.rejected() > 0 || d.message() != null) {
      ObjectNode partial = root.putObject("partialSuccess");
      // int64 is a string in OTLP/JSON
      partial.put(d.signal().rejectedJsonField, Long.toString(d.rejected()));
      partial.put("errorMessage", d.message() == null ? "" : d.message());
    }
    return HttpResponse.of(HttpStatus.OK, MediaType.JSON, root.toString());
  }

  /**
   * An error answer: a google.rpc.Status for protobuf senders, {@code {"error":{code,message}}}
   * (ARCHITECTURE.md §7) for JSON ones.
   *
   * @param retryAfterSeconds added as Retry-After when positive
   */
  static HttpResponse error(HttpStatus status, String code, String message, boolean json, int retryAfterSeconds) {
    return errorBody(status, code, message, json, retryAfterSeconds).toHttpResponse();
  }

  static AggregatedHttpResponse errorBody(HttpStatus status, String code, String message, boolean json,
      int retryAfterSeconds) {
    var builder = ResponseHeaders.builder(status).contentType(json ? MediaType.JSON_UTF_8 : PROTOBUF);
    if (retryAfterSeconds > 0) {
      builder.set(HttpHeaderNames.RETRY_AFTER, Integer.toString(retryAfterSeconds));
    }
    ResponseHeaders headers = builder.build();
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      ObjectNode error = root.putObject("error");
      error.put("code", code);
      error.put("message", message);
      return AggregatedHttpResponse.of(headers, com.linecorp.armeria.common.HttpData.ofUtf8(root.toString()));
    }
    com.google.rpc.Status body = com.google.rpc.Status.newBuilder()
        .setCode(grpcCode(status).value())
        .setMessage(message)
        .build();
    return AggregatedHttpResponse.of(headers, com.linecorp.armeria.common.HttpData.wrap(body.toByteArray()));
  }

  /** The gRPC code that matches an HTTP status, for google.rpc.Status bodies. */
  private static io.grpc.Status.Code grpcCode(HttpStatus status) {
    return switch (status.code()) {
      case 400 -> io.grpc.Status.Code.INVALID_ARGUMENT;
      case 401 -> io.grpc.Status.Code.UNAUTHENTICATED;
      case 413 -> io.grpc.Status.Code.RESOURCE_EXHAUSTED;
      case 415 -> io.grpc.Status.Code.INVALID_ARGUMENT;
      case 429 -> io.grpc.Status.Code.RESOURCE_EXHAUSTED;
      case 503 -> io.grpc.Status.Code.UNAVAILABLE;
      default -> io.grpc.Status.Code.UNKNOWN;
    };
  }
}
