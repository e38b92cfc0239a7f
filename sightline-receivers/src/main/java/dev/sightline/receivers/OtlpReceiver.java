package dev.sightline.receivers;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.grpc.GrpcService;
import com.linecorp.armeria.common.grpc.GrpcSerializationFormats;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.Ingest;
import dev.sightline.pipeline.IngestAuth;
import dev.sightline.pipeline.IngestCounters;
import java.util.Objects;

/**
 * The OTLP receivers: OTLP/HTTP ({@code POST /v1/traces}, {@code /v1/logs}, {@code /v1/metrics};
 * protobuf or JSON; gzip) and OTLP/gRPC (TraceService, LogsService, MetricsService). They decode
 * requests into canonical records, hand them to {@link Ingest}, and answer once the records are
 * committed, with OTLP partial success for records that could not be used.
 *
 * <p>Usage: build one Armeria server per port and call {@link #bindHttp} or {@link #bindGrpc} on
 * its builder.
 */
public final class OtlpReceiver {
  private final ReceiverLimits limits;
  private final OtlpDecoder decoder;
  private final IngestGate gate;
  private final IngestAuth auth;

  /** A receiver that takes every request, as data of the default project ({@link IngestAuth#OPEN}). */
  public OtlpReceiver(Ingest ingest, IngestCounters counters, ReceiverLimits limits) {
    this(ingest, counters, limits, IngestAuth.OPEN);
  }

  /**
   * @param auth decides from each request's headers, before its body is decoded, whether it may send
   *     and into which project; a refused request gets 401 (HTTP) or UNAUTHENTICATED (gRPC)
   */
  public OtlpReceiver(Ingest ingest, IngestCounters counters, ReceiverLimits limits, IngestAuth auth) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.decoder = new OtlpDecoder(limits);
    this.gate = new IngestGate(Objects.requireNonNull(ingest, "ingest"), Objects.requireNonNull(counters, "counters"));
    this.auth = Objects.requireNonNull(auth, "auth");
  }

  /** Binds {@code POST /v1/traces}, {@code /v1/logs} and {@code /v1/metrics} (receiver {@code otlp-http}). */
  public void bindHttp(ServerBuilder sb) {
    for (Signal signal : Signal.values()) {
      OtlpHttpService service = new OtlpHttpService(signal, decoder, gate, limits, auth);
      sb.route()
          .post(signal.httpPath)
          .maxRequestLength(limits.maxRequestBytes())
          .errorHandler(service.errorHandler())
          .build(service);
    }
  }

  /**
   * Decodes one OTLP/protobuf ExportTraceServiceRequest the way the receivers do, without a server:
   * for tools and benchmarks that feed the pipeline or the store directly.
   *
   * @throws IllegalArgumentException when the body is not a usable request
   */
  public TelemetryBatch decodeTraces(byte[] protobuf) {
    try {
      return decoder.decodeProtobuf(Signal.TRACES, protobuf, "direct").batch();
    } catch (MalformedRequestException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /**
   * Decodes one OTLP/JSON ExportTraceServiceRequest the way the OTLP/HTTP receiver does, without a
   * server: for benchmarks of the JSON path beside {@link #decodeTraces}.
   *
   * @throws IllegalArgumentException when the body is not a usable request
   */
  public TelemetryBatch decodeTracesJson(byte[] json) {
    try {
      return decoder.decodeJson(Signal.TRACES, json, "direct").batch();
    } catch (MalformedRequestException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  /** Binds the three OTLP gRPC services (receiver {@code otlp-grpc}). */
  public void bindGrpc(ServerBuilder sb) {
    OtlpGrpcServices services = new OtlpGrpcServices(decoder, gate, auth);
    sb.service(GrpcService.builder()
        .exceptionHandler(GrpcAdmission::status)
        .addService(services.traces())
        .addService(services.logs())
        .addService(services.metrics())
        .supportedSerializationFormats(GrpcSerializationFormats.PROTO)
        // decoding (up to the request limit) and handing over to the pipeline off the event
        // loops, which also relay the gateway's streams
        .useBlockingTaskExecutor(true)
        .maxRequestMessageLength((int) limits.maxRequestBytes())
        .build(), service -> new GrpcAdmission(service, gate));
  }
}
