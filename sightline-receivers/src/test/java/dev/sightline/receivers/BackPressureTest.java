package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.linecorp.armeria.client.grpc.GrpcClients;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import org.junit.jupiter.api.Test;

/**
 * A full pipeline answers "retry later" (HTTP 429 + Retry-After, gRPC RESOURCE_EXHAUSTED), a failed commit
 * answers 503, and success is only sent after the commit.
 */
class BackPressureTest extends ReceiverTestSupport {
  private static final byte[] ONE_SPAN =
      traces(span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "s")).toByteArray();

  @Test
  void saturatedPipelineIs429WithRetryAfter() throws Exception {
    ingest.mode = RecordingIngest.Mode.SATURATED;
    var r = postProtobuf("/v1/traces", ONE_SPAN);
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(r.headers().get("retry-after")).isEqualTo("7");
    assertThat(com.google.rpc.Status.parseFrom(r.content().array()).getMessage()).contains("queue is full");
  }

  @Test
  void submitThatThrowsSaturationIsAlso429() throws Exception {
    ingest.mode = RecordingIngest.Mode.SATURATED_THROWN;
    var r = postJson("/v1/traces", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":"
        + "\"4bf92f3577b34da6a3ce929d0e0e4736\",\"spanId\":\"00f067aa0ba902b7\",\"name\":\"s\"}]}]}]}");
    assertThat(r.status().code()).isEqualTo(429);
    assertThat(r.headers().get("retry-after")).isEqualTo("3");
    assertThat(json(r).at("/error/code").asText()).isEqualTo("saturated");
  }

  @Test
  void failedCommitIs503WithRetryAfter() throws Exception {
    ingest.mode = RecordingIngest.Mode.COMMIT_FAILS;
    var r = postProtobuf("/v1/traces", ONE_SPAN);
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(r.headers().get("retry-after")).isEqualTo("5");
    assertThat(com.google.rpc.Status.parseFrom(r.content().array()).getMessage())
        .contains("could not be committed").contains("disk full");
  }

  @Test
  void grpcSaturationIsResourceExhaustedWithRetryInfo() throws Exception {
    ingest.mode = RecordingIngest.Mode.SATURATED;
    var stub = GrpcClients.newClient(server.httpUri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    var e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.export(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(ONE_SPAN)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("queue is full");
    var details = StatusProto.fromThrowable(e);
    assertThat(details).isNotNull();
    assertThat(details.getDetails(0).unpack(com.google.rpc.RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(7);
  }

  @Test
  void grpcFailedCommitIsUnavailable() {
    ingest.mode = RecordingIngest.Mode.COMMIT_FAILS;
    var stub = GrpcClients.newClient(server.httpUri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    var e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.export(io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest.parseFrom(ONE_SPAN)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("disk full");
  }
}
