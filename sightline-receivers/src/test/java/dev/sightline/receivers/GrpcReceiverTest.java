package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import dev.sightline.model.Span;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** OTLP/gRPC keeps the same promises as OTLP/HTTP: partial success, repaired strings, size limit. */
class GrpcReceiverTest extends ReceiverTestSupport {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void partialSuccessOverGrpc() {
    var stub = GrpcClients.newClient(server.httpUri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    ExportTraceServiceResponse response = stub.export(traces(
        span(TRACE, "00f067aa0ba902b7", "good"), span(TRACE, "", "no-span-id")));
    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("'no-span-id': span_id must be 8 bytes");
    assertThat(ingest.spans()).extracting(Span::name).containsExactly("good");
    assertThat(ingest.batches.get(0).receiver()).isEqualTo("otlp-grpc");
  }

  @Test
  void invalidUtf8OverGrpcKeepsEverySpan() throws Exception {
    byte[] body = traces(span(TRACE, "00f067aa0ba902b7", "good"), span(TRACE, "00f067aa0ba902b8", "bad-QQQQ"))
        .toByteArray();
    body = HostileInputTest.replaceAll(body, "QQQQ".getBytes(StandardCharsets.US_ASCII),
        new byte[] {'X', (byte) 0xC3, '(', 'X'});
    AggregatedHttpResponse r = rawGrpc(body);
    assertThat(grpcStatus(r)).isEqualTo("0");
    byte[] payload = Arrays.copyOfRange(r.content().array(), 5, r.content().length());
    var response = ExportTraceServiceResponse.parseFrom(payload);
    assertThat(response.getPartialSuccess().getRejectedSpans()).isZero();
    assertThat(response.getPartialSuccess().getErrorMessage()).contains("invalid UTF-8");
    assertThat(ingest.spans()).extracting(Span::name).containsExactly("good", "bad-X\uFFFD(X");
  }

  @Test
  void malformedProtobufOverGrpcIsInvalidArgument() {
    AggregatedHttpResponse r = rawGrpc(new byte[] {0x0a, (byte) 0xff, (byte) 0xff, 0x01});
    assertThat(grpcStatus(r)).isEqualTo(String.valueOf(Status.Code.INVALID_ARGUMENT.value()));
    assertThat(ingest.batches).isEmpty();
  }

  @Test
  void messageOverTheLimitIsRefused() {
    var stub = GrpcClients.builder(server.httpUri()).maxRequestMessageLength(64 * 1024 * 1024)
        .maxResponseMessageLength(64 * 1024 * 1024).build(TraceServiceGrpc.TraceServiceBlockingStub.class);
    var big = span(TRACE, "00f067aa0ba902b7", "huge").addAttributes(attr("blob", "x".repeat(17 * 1024 * 1024)));
    var e = catchThrowableOfType(StatusRuntimeException.class, () -> stub.export(traces(big)));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(ingest.batches).isEmpty();
  }

  private static AggregatedHttpResponse rawGrpc(byte[] message) {
    ByteBuffer frame = ByteBuffer.allocate(5 + message.length);
    frame.put((byte) 0).putInt(message.length).put(message);
    var headers = RequestHeaders.builder(HttpMethod.POST, "/opentelemetry.proto.collector.trace.v1.TraceService/Export")
        .contentType(com.linecorp.armeria.common.MediaType.parse("application/grpc+proto"))
        .set("te", "trailers").build();
    return WebClient.of(server.httpUri()).execute(headers, HttpData.wrap(frame.array())).aggregate().join();
  }

  private static String grpcStatus(AggregatedHttpResponse r) {
    String s = r.trailers().get("grpc-status");
    return s != null ? s : r.headers().get("grpc-status");
  }
}
