package dev.sightline.receivers;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sightline.pipeline.IngestAuth;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.collector.logs.v1.LogsServiceGrpc;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.metrics.v1.MetricsServiceGrpc;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OTLP/gRPC services (TraceService, LogsService, MetricsService). Requests arrive as raw bytes
 * and go through the same decoder as OTLP/HTTP protobuf bodies, so a request with one bad string
 * keeps its good records here too (the generated marshaller would refuse the whole message).
 */
final class OtlpGrpcServices {
  static final String RECEIVER = "otlp-grpc";

  private final OtlpDecoder decoder;
  private final IngestGate gate;
  private final IngestAuth auth;

  OtlpGrpcServices(OtlpDecoder decoder, IngestGate gate, IngestAuth auth) {
    this.decoder = decoder;
    this.gate = gate;
    this.auth = auth;
  }

  ServerServiceDefinition traces() {
    return definition(TraceServiceGrpc.SERVICE_NAME, TraceServiceGrpc.getExportMethod(),
        ExportTraceServiceResponse.getDefaultInstance(), Signal.TRACES);
  }

  ServerServiceDefinition logs() {
    return definition(LogsServiceGrpc.SERVICE_NAME, LogsServiceGrpc.getExportMethod(),
        ExportLogsServiceResponse.getDefaultInstance(), Signal.LOGS);
  }

  ServerServiceDefinition metrics() {
    return definition(MetricsServiceGrpc.SERVICE_NAME, MetricsServiceGrpc.getExportMethod(),
        ExportMetricsServiceResponse.getDefaultInstance(), Signal.METRICS);
  }

  private <Resp extends Message> ServerServiceDefinition definition(String serviceName,
      MethodDescriptor<?, Resp> generated, Resp responseType, Signal signal) {
    MethodDescriptor<byte[], Resp> method = generated.toBuilder(RawBytes.INSTANCE,
        ProtoUtils.marshaller(responseType)).build();
    return ServerServiceDefinition.builder(serviceName)
        .addMethod(method, ServerCalls.asyncUnaryCall((byte[] body, StreamObserver<Resp> observer) ->
            export(signal, body, observer)))
        .build();
  }

  @SuppressWarnings("unchecked")
  private <Resp extends Message> void export(Signal signal, byte[] body, StreamObserver<Resp> observer) {
    RequestHeaders headers = ServiceRequestContext.current().request().headers();
    IngestAuth.Decision decision = auth.check(name -> headers.get(name));
    if (!decision.allowed()) {
      // the message arrived as raw bytes and is dropped undecoded
      observer.onError(Status.UNAUTHENTICATED.withDescription(decision.error()).asRuntimeException());
      return;
    }
    gate.countRequest(RECEIVER, body.length);
    Decoded decoded;
    try {
      decoded = decoder.decodeProtobuf(signal, body, RECEIVER);
    } catch (MalformedRequestException e) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
      return;
    }
    gate.submit(decoded, decision.project()).whenComplete((outcome, err) -> {
      switch (outcome) {
        case IngestGate.Outcome.Committed c -> {
          observer.onNext((Resp) ExportResponses.protobuf(decoded));
          observer.onCompleted();
        }
        case IngestGate.Outcome.Saturated s -> observer.onError(refusal(GrpcAdmission.RESOURCE_EXHAUSTED,
            s.message(), s.retryAfterSeconds()));
        case IngestGate.Outcome.Failed f -> observer.onError(refusal(GrpcAdmission.UNAVAILABLE,
            f.message(), f.retryAfterSeconds()));
      }
    });
  }

  /**
   * RESOURCE_EXHAUSTED (saturated) and UNAVAILABLE (not committed) are both retried by OTLP exporters
   * (the OTel Java SDK's RetryUtil lists them; the OTLP spec retries RESOURCE_EXHAUSTED only with a
   * RetryInfo, which tells them how long to wait).
   */
  private static RuntimeException refusal(int code, String message, int retryAfterSeconds) {
    return StatusProto.toStatusRuntimeException(GrpcAdmission.statusProto(code, message, retryAfterSeconds));
  }

  /** Hands the request message to the service as the bytes it arrived as. */
  private enum RawBytes implements MethodDescriptor.Marshaller<byte[]> {
    INSTANCE;

    @Override
    public InputStream stream(byte[] value) {
      return new java.io.ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
