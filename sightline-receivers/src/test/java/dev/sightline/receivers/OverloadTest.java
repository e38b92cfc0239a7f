package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.linecorp.armeria.client.WebClient;
import com.linecorp.armeria.client.grpc.GrpcClients;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pipeline.BatchProcessor;
import dev.sightline.pipeline.BatchSink;
import dev.sightline.pipeline.DiskGuard;
import dev.sightline.pipeline.IngestCounters;
import dev.sightline.pipeline.IngestMemory;
import dev.sightline.pipeline.Pipeline;
import dev.sightline.pipeline.PipelineConfig;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.semconv.SpanNormalizer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real pipeline with a small queue, a small memory budget and a sink that commits only when the
 * test lets it: a burst gets 429 / RESOURCE_EXHAUSTED with a retry hint, every request answered 200
 * has its spans stored, none refused is stored, and a normal export succeeds after; a nearly full
 * disk answers 503 / UNAVAILABLE.
 */
class OverloadTest {
  private static final int SPANS_PER_REQUEST = 10;
  private static final int QUEUE_RECORDS = 40;
  private static final long MEMORY_BUDGET = 64 * 1024;

  /** Commits wait for a permit, so the test decides when the store catches up. */
  private static final Semaphore commitPermits = new Semaphore(0);
  private static final List<String> stored = new CopyOnWriteArrayList<>();
  private static final AtomicLong usableDisk = new AtomicLong(Long.MAX_VALUE);
  private static final IngestMemory memory = new IngestMemory(MEMORY_BUDGET);
  private static Pipeline pipeline;

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      BatchSink slowSink = batches -> {
        commitPermits.acquireUninterruptibly();
        for (TelemetryBatch b : batches) {
          b.spans().forEach(s -> stored.add(s.name()));
        }
      };
      pipeline = new Pipeline(new BatchProcessor(SpanNormalizer.create(), new CostCalculator(PriceCatalog.bundled())),
          slowSink, new IngestCounters(), new PipelineConfig(QUEUE_RECORDS, 1000, 2),
          memory, new DiskGuard(Path.of("/var/lib/sightline"), 1L << 30, usableDisk::get, Duration.ZERO));
      OtlpReceiver receiver = new OtlpReceiver(pipeline, new IngestCounters(), ReceiverLimits.defaults());
      receiver.bindHttp(sb);
      receiver.bindGrpc(sb);
      sb.requestTimeout(Duration.ofMinutes(2));
    }
  };

  @BeforeEach
  void reset() {
    stored.clear();
    usableDisk.set(Long.MAX_VALUE);
    commitPermits.drainPermits();
  }

  @AfterEach
  void letEverythingCommit() {
    commitPermits.release(10_000);
  }

  @Test
  void burstGets429sAndEveryAcknowledgedSpanIsStored() throws Exception {
    int requests = 40;
    List<CompletableFuture<AggregatedHttpResponse>> answers = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      answers.add(post(request("burst-" + i)));
    }
    // the sink holds every commit, so the queue fills (4 requests) and the rest are refused at once;
    // wait until each request is either refused or queued before letting the store catch up
    while (answers.stream().filter(CompletableFuture::isDone).count() + pipeline.queuedRecords() / SPANS_PER_REQUEST
        < requests) {
      Thread.onSpinWait();
    }
    commitPermits.release(10_000);
    Set<String> acknowledged = new HashSet<>();
    Set<String> refused = new HashSet<>();
    for (int i = 0; i < requests; i++) {
      AggregatedHttpResponse r = answers.get(i).get(30, TimeUnit.SECONDS);
      if (r.status().code() == 200) {
        for (int s = 0; s < SPANS_PER_REQUEST; s++) {
          acknowledged.add("burst-" + i + "-" + s);
        }
      } else {
        assertThat(r.status().code()).isEqualTo(429);
        assertThat(r.headers().get(HttpHeaderNames.RETRY_AFTER)).isNotNull();
        assertThat(Integer.parseInt(r.headers().get(HttpHeaderNames.RETRY_AFTER))).isPositive();
        assertThat(status(r).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        for (int s = 0; s < SPANS_PER_REQUEST; s++) {
          refused.add("burst-" + i + "-" + s);
        }
      }
    }
    assertThat(refused).isNotEmpty();
    assertThat(acknowledged).hasSize(QUEUE_RECORDS);
    assertThat(stored).hasSize(acknowledged.size()).containsExactlyInAnyOrderElementsOf(acknowledged);
    assertThat(stored).doesNotContainAnyElementsOf(refused);

    AggregatedHttpResponse after = post(request("after")).get(30, TimeUnit.SECONDS);
    assertThat(after.status().code()).isEqualTo(200);
    assertThat(stored).contains("after-0");
    // a reservation is given back when the server's log of the exchange completes, just after the
    // client has its answer: wait for that state (bounded), then check it
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (memory.reservedBytes() != 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(memory.reservedBytes()).as("every answered request gave its bytes back").isZero();
  }

  @Test
  void spentMemoryBudgetRefusesBeforeTheBodyIsDecoded() throws Exception {
    // one request in flight (held by the sink) takes most of the budget
    byte[] big = request("big", 600, 100);
    assertThat(big.length).isGreaterThan((int) (MEMORY_BUDGET / 2));
    CompletableFuture<AggregatedHttpResponse> held = post(big);
    while (pipeline.queuedRecords() == 0) {
      Thread.onSpinWait();
    }
    long refusalsBefore = memory.refusals();
    AggregatedHttpResponse refused = post(request("second", 600, 100)).get(30, TimeUnit.SECONDS);
    assertThat(refused.status().code()).isEqualTo(429);
    assertThat(refused.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo("1");
    assertThat(status(refused).getMessage()).contains("memory budget");
    assertThat(memory.refusals()).isGreaterThan(refusalsBefore);

    var stub = GrpcClients.newClient(server.httpUri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.export(ExportTraceServiceRequest.parseFrom(request("grpc", 600, 100))));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(e.getStatus().getDescription()).contains("memory budget");
    assertThat(StatusProto.fromThrowable(e).getDetails(0).unpack(com.google.rpc.RetryInfo.class)
        .getRetryDelay().getSeconds()).isEqualTo(1);

    commitPermits.release(10_000);
    assertThat(held.get(30, TimeUnit.SECONDS).status().code()).isEqualTo(200);
    assertThat(stored).contains("big-0").noneMatch(n -> n.startsWith("second") || n.startsWith("grpc"));
    assertThat(post(request("second", 600, 100)).get(30, TimeUnit.SECONDS).status().code()).isEqualTo(200);
  }

  @Test
  void nearlyFullDiskAnswers503AndUnavailableNamingTheFlag() throws Exception {
    usableDisk.set(100L << 20);
    AggregatedHttpResponse r = post(request("disk")).get(30, TimeUnit.SECONDS);
    assertThat(r.status().code()).isEqualTo(503);
    assertThat(r.headers().get(HttpHeaderNames.RETRY_AFTER)).isEqualTo(Integer.toString(DiskGuard.RETRY_AFTER_SECONDS));
    assertThat(status(r).getMessage())
        .contains("100.0 MiB free").contains("/var/lib/sightline").contains("--min-free-disk");

    var stub = GrpcClients.newClient(server.httpUri(), TraceServiceGrpc.TraceServiceBlockingStub.class);
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
        () -> stub.export(ExportTraceServiceRequest.parseFrom(request("disk-grpc"))));
    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription()).contains("--min-free-disk");

    usableDisk.set(10L << 30);
    commitPermits.release(10_000);
    assertThat(post(request("disk-after")).get(30, TimeUnit.SECONDS).status().code()).isEqualTo(200);
    assertThat(stored).containsOnly(namesOf("disk-after", SPANS_PER_REQUEST));
  }

  private static String[] namesOf(String prefix, int n) {
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = prefix + "-" + i;
    }
    return out;
  }

  private static byte[] request(String prefix) {
    return request(prefix, SPANS_PER_REQUEST, 0);
  }

  /** {@code n} spans named prefix-0…, each with a {@code padding}-byte attribute. */
  private static byte[] request(String prefix, int n, int padding) {
    var spans = new io.opentelemetry.proto.trace.v1.Span.Builder[n];
    for (int i = 0; i < n; i++) {
      spans[i] = ReceiverTestSupport.span("4bf92f3577b34da6a3ce929d0e0e4736",
          String.format("%016x", (prefix + i).hashCode() & 0xffffffffL | 1L << 40), prefix + "-" + i);
      if (padding > 0) {
        spans[i].addAttributes(ReceiverTestSupport.attr("pad", "x".repeat(padding)));
      }
    }
    return ReceiverTestSupport.traces(spans).toByteArray();
  }

  private static CompletableFuture<AggregatedHttpResponse> post(byte[] body) {
    return WebClient.builder(server.httpUri()).responseTimeout(Duration.ofMinutes(2)).build()
        .execute(RequestHeaders.builder(HttpMethod.POST, "/v1/traces")
            .set(HttpHeaderNames.CONTENT_TYPE, "application/x-protobuf")
            .build(), HttpData.wrap(body)).aggregate();
  }

  private static com.google.rpc.Status status(AggregatedHttpResponse r) throws Exception {
    return com.google.rpc.Status.parseFrom(r.content().array());
  }
}
