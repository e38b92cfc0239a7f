package dev.sightline.receivers;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.RequestContext;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.SimpleDecoratingHttpService;
import dev.sightline.pipeline.IngestMemory;
import dev.sightline.pipeline.IngestUnavailableException;
import dev.sightline.pipeline.PipelineSaturatedException;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * Lets OTLP/gRPC requests in the way OTLP/HTTP ones are: memory and disk are asked before the
 * message is read, the reservation grows as its frames arrive and is released once the call is
 * answered. A refusal aborts the request stream; {@link #status} turns that into
 * RESOURCE_EXHAUSTED (saturated) or UNAVAILABLE (disk, failed commit) with a RetryInfo.
 */
final class GrpcAdmission extends SimpleDecoratingHttpService {
  private static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private final IngestGate gate;

  GrpcAdmission(HttpService delegate, IngestGate gate) {
    super(delegate);
    this.gate = gate;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) throws Exception {
    IngestGate.Admission admission = gate.admit(0);
    if (!admission.admitted()) {
      RuntimeException refusal = exceptionOf(admission.refusal());
      return unwrap().serve(ctx, req.peekData(d -> {
        throw refusal;
      }));
    }
    IngestMemory.Reservation reservation = admission.reservation();
    ctx.log().whenComplete().thenRun(reservation::release);
    long[] received = {0};
    return unwrap().serve(ctx, req.peekData(d -> {
      received[0] += d.length();
      if (!reservation.ensure(received[0])) {
        throw new PipelineSaturatedException(OtlpHttpService.MEMORY_SPENT, IngestMemory.RETRY_AFTER_SECONDS);
      }
    }));
  }

  private static RuntimeException exceptionOf(IngestGate.Outcome refusal) {
    return switch (refusal) {
      case IngestGate.Outcome.Saturated s -> new PipelineSaturatedException(s.message(), s.retryAfterSeconds());
      case IngestGate.Outcome.Failed f -> new IngestUnavailableException(f.message(), f.retryAfterSeconds());
      case IngestGate.Outcome.Committed c -> new IllegalStateException("not a refusal");
    };
  }

  /** The gRPC exception handler of the OTLP services: refusals become retryable statuses with RetryInfo. */
  static Status status(RequestContext ctx, Status status, Throwable cause, Metadata trailers) {
    Throwable c = cause;
    while (c != null && !(c instanceof PipelineSaturatedException) && !(c instanceof IngestUnavailableException)) {
      c = c.getCause();
    }
    if (c instanceof PipelineSaturatedException s) {
      return withRetry(Status.RESOURCE_EXHAUSTED, IngestGate.outcomeOf(s), s.retryAfterSeconds(), trailers);
    }
    if (c instanceof IngestUnavailableException u) {
      return withRetry(Status.UNAVAILABLE, IngestGate.outcomeOf(u), u.retryAfterSeconds(), trailers);
    }
    return null;
  }

  private static Status withRetry(Status status, IngestGate.Outcome outcome, int retryAfterSeconds, Metadata trailers) {
    String message = switch (outcome) {
      case IngestGate.Outcome.Saturated s -> s.message();
      case IngestGate.Outcome.Failed f -> f.message();
      case IngestGate.Outcome.Committed c -> "";
    };
    trailers.put(STATUS_DETAILS, statusProto(status.getCode().value(), message, retryAfterSeconds).toByteArray());
    return status.withDescription(message);
  }

  /** A google.rpc.Status with a RetryInfo, which OTLP exporters read for their back-off. */
  static com.google.rpc.Status statusProto(int code, String message, int retryAfterSeconds) {
    return com.google.rpc.Status.newBuilder()
        .setCode(code)
        .setMessage(message)
        .addDetails(Any.pack(RetryInfo.newBuilder()
            .setRetryDelay(Duration.newBuilder().setSeconds(Math.max(1, retryAfterSeconds))).build()))
        .build();
  }

  static final int RESOURCE_EXHAUSTED = Code.RESOURCE_EXHAUSTED_VALUE;
  static final int UNAVAILABLE = Code.UNAVAILABLE_VALUE;
}
