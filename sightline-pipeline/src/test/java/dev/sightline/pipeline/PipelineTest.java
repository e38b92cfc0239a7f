package dev.sightline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.LogRecord;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.pricing.CostCalculator;
import dev.sightline.pricing.PriceCatalog;
import dev.sightline.semconv.SpanNormalizer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PipelineTest {
  static final BatchProcessor PROCESSOR =
      new BatchProcessor(SpanNormalizer.create(), new CostCalculator(PriceCatalog.bundled()));

  static Span span(String trace, String id, String parent, String name, Map<String, Object> attrs) {
    return Span.received(trace, id, parent, name, SpanKind.INTERNAL, 1_000_000_000L, 2_000_000_000L, SpanStatus.UNSET,
        null, "svc", "test", attrs, Map.of(), List.of());
  }

  static Map<String, Object> llmAttrs() {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("gen_ai.operation.name", "chat");
    a.put("gen_ai.provider.name", "openai");
    a.put("gen_ai.request.model", "gpt-4o");
    a.put("gen_ai.usage.input_tokens", 1000L);
    a.put("gen_ai.usage.output_tokens", 100L);
    return a;
  }

  static final String T1 = "0af7651916cd43dd8448eb211c80319c";

  @Test
  void acknowledgesOnlyAfterTheCommitAndGroupsWaitingBatches() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> groupSizes = new ArrayList<>();
    BatchSink slowSink = batches -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
      synchronized (groupSizes) {
        groupSizes.add(batches.size());
      }
    };
    try (Pipeline p = new Pipeline(PROCESSOR, slowSink, new IngestCounters(), new PipelineConfig(10_000, 10_000, 1))) {
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        acks.add(p.submit(TelemetryBatch.ofSpans("test",
            List.of(span(T1, "00000000000000a" + i, null, "root" + i, Map.of())))));
      }
      Thread.sleep(300);
      assertThat(acks).noneMatch(CompletableFuture::isDone);
      release.countDown();
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      // The first commit took the first batch; the four that waited behind it went in one commit.
      synchronized (groupSizes) {
        assertThat(groupSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(5);
        assertThat(groupSizes.size()).isLessThanOrEqualTo(3);
      }
    }
  }

  @Test
  void pacedCommitsTakeWhatArrivesDuringTheIntervalInOneGoButAfterAQuietSpellCommitAtOnce() throws Exception {
    List<Integer> groupSizes = new ArrayList<>();
    BatchSink sink = batches -> {
      synchronized (groupSizes) {
        groupSizes.add(batches.size());
      }
    };
    PipelineConfig paced = new PipelineConfig(10_000, 10_000, 1, java.time.Duration.ofMillis(1_500));
    try (Pipeline p = new Pipeline(PROCESSOR, sink, new IngestCounters(), paced)) {
      // quiet before: the first batch is committed without waiting for the interval
      long t0 = System.nanoTime();
      p.submit(TelemetryBatch.ofSpans("test", List.of(span(T1, "00000000000000b0", null, "first", Map.of()))))
          .get(10, TimeUnit.SECONDS);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(1_000);
      // steady traffic right after: five batches, 50 ms apart, all inside one interval
      List<CompletableFuture<Void>> acks = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        acks.add(p.submit(TelemetryBatch.ofSpans("test",
            List.of(span(T1, "00000000000000c" + i, null, "steady" + i, Map.of())))));
        Thread.sleep(50);
      }
      CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
      synchronized (groupSizes) {
        assertThat(groupSizes).containsExactly(1, 5);
      }
    }
  }

  @Test
  void aGroupWorthACommitIsNotPacedAndUpkeepRunsAfterTheAcknowledgements() throws Exception {
    List<Integer> groupSizes = new ArrayList<>();
    CountDownLatch upkeepMayEnd = new CountDownLatch(1);
    CountDownLatch upkeepStarted = new CountDownLatch(1);
    BatchSink sink = new BatchSink() {
      @Override
      public void write(List<TelemetryBatch> batches) {
        synchronized (groupSizes) {
          groupSizes.add(batches.stream().mapToInt(TelemetryBatch::size).sum());
        }
      }

      @Override
      public void maintain() {
        upkeepStarted.countDown();
        try {
          upkeepMayEnd.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    // a pace of a minute: only a group worth a commit (two records here) can be committed within the test
    PipelineConfig paced = new PipelineConfig(10_000, 10_000, 1, java.time.Duration.ofMinutes(1), 2);
    try (Pipeline p = new Pipeline(PROCESSOR, sink, new IngestCounters(), paced)) {
      // after a quiet spell at once; its acknowledgement does not wait for the upkeep that follows
      p.submit(TelemetryBatch.ofSpans("test", List.of(span(T1, "00000000000000d0", null, "first", Map.of()))))
          .get(10, TimeUnit.SECONDS);
      assertThat(upkeepStarted.await(10, TimeUnit.SECONDS)).isTrue();
      upkeepMayEnd.countDown();
      // right after that commit, well inside the minute: two records are worth a commit of their own
      p.submit(TelemetryBatch.ofSpans("test", List.of(span(T1, "00000000000000d1", null, "a", Map.of()),
          span(T1, "00000000000000d2", null, "b", Map.of())))).get(10, TimeUnit.SECONDS);
      synchronized (groupSizes) {
        assertThat(groupSizes).containsExactly(1, 2);
      }
    }
  }

  @Test
  void aServersQueueCapacityKeepsTheDefaultPacing() {
    PipelineConfig sized = PipelineConfig.defaults().withQueueCapacity(1234);
    assertThat(sized.queueCapacityRecords()).isEqualTo(1234);
    assertThat(sized).usingRecursiveComparison().ignoringFields("queueCapacityRecords")
        .isEqualTo(PipelineConfig.defaults());
    assertThat(sized.unattendedCommitInterval()).isEqualTo(PipelineConfig.DEFAULT_UNATTENDED_COMMIT_INTERVAL)
        .isGreaterThan(sized.minCommitInterval());
    assertThat(sized.processorThreads()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void anUnattendedBatchWaitsLongerForCompanyButNotOnceASenderWaitsToo() throws Exception {
    List<Integer> groupSizes = new ArrayList<>();
    BatchSink sink = batches -> {
      synchronized (groupSizes) {
        groupSizes.add(batches.size());
      }
    };
    // attended groups are not paced at all here; unattended ones wait a minute for company
    PipelineConfig config = new PipelineConfig(10_000, 10_000, 1, java.time.Duration.ZERO, 1_000,
        java.time.Duration.ofMinutes(1));
    try (Pipeline p = new Pipeline(PROCESSOR, sink, new IngestCounters(), config)) {
      p.submitUnattended(TelemetryBatch.ofSpans("test", List.of(span(T1, "00000000000000e0", null, "quiet", Map.of()))))
          .get(10, TimeUnit.SECONDS); // after a quiet spell: at once
      CompletableFuture<Void> unattended = p.submitUnattended(
          TelemetryBatch.ofSpans("test", List.of(span(T1, "00000000000000e1", null, "record", Map.of()))));
      // it would wait a minute on its own; an attended batch takes it along at once
      p.submit(TelemetryBatch.ofSpans("test", List.of(span(T1, "00000000000000e2", null, "export", Map.of()))))
          .get(10, TimeUnit.SECONDS);
      assertThat(unattended).isCompleted();
      synchronized (groupSizes) {
        assertThat(groupSizes).hasSize(2).startsWith(1);
        assertThat(groupSizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(3);
      }
    }
  }

  @Test
  void refusesWithRetryWhenTheQueueIsFullAndCountsTheDrop() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    BatchSink blocked = batches -> {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    };
    IngestCounters counters = new IngestCounters();
    try (Pipeline p = new Pipeline(PROCESSOR, blocked, counters, new PipelineConfig(3, 10, 1))) {
      List<Span> three = List.of(span(T1, "0000000000000001", null, "a", Map.of()),
          span(T1, "0000000000000002", null, "b", Map.of()), span(T1, "0000000000000003", null, "c", Map.of()));
      CompletableFuture<Void> first = p.submit(TelemetryBatch.ofSpans("test", three));
      assertThatThrownBy(() -> p.submit(TelemetryBatch.ofSpans("test", List.of(span(T1, "0000000000000004", null, "d", Map.of())))))
          .isInstanceOf(PipelineSaturatedException.class)
          .satisfies(e -> assertThat(((PipelineSaturatedException) e).retryAfterSeconds()).isPositive());
      assertThat(counters.get("test", "spans", IngestCounters.Outcome.DROPPED)).isEqualTo(1);
      release.countDown();
      first.get(10, TimeUnit.SECONDS);
      assertThat(counters.get("test", "spans", IngestCounters.Outcome.STORED)).isEqualTo(3);
      // Space again once committed.
      p.submit(TelemetryBatch.ofSpans("test", List.of(span(T1, "0000000000000005", null, "e", Map.of()))))
          .get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFailedCommitFailsEveryBatchInItAndFreesTheQueue() throws Exception {
    BatchSink broken = batches -> {
      throw new IllegalStateException("disk full");
    };
    try (Pipeline p = new Pipeline(PROCESSOR, broken, new IngestCounters(), new PipelineConfig(10, 10, 1))) {
      CompletableFuture<Void> f = p.submit(TelemetryBatch.ofSpans("test", List.of(span(T1, "0000000000000001", null, "a", Map.of()))));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasRootCauseMessage("disk full");
      assertThat(p.queuedRecords()).isZero();
    }
  }

  @Test
  void processorNormalizesPricesAndSetsTheRouteFromTheRootSpan() {
    TelemetryBatch out = PROCESSOR.process(TelemetryBatch.ofSpans("test", List.of(
        span(T1, "00000000000000aa", null, "POST /chat", Map.of("http.request.method", "POST")),
        span(T1, "00000000000000bb", "00000000000000aa", "chat gpt-4o", llmAttrs()))));
    Span llm = out.spans().get(1);
    assertThat(llm.category()).isEqualTo(SpanCategory.LLM);
    assertThat(llm.llm().context().route()).isEqualTo("POST /chat");
    // gpt-4o: 1000 × $2.5e-6 + 100 × $1e-5 = $0.0035
    assertThat(llm.llm().cost().totalUsd()).isEqualByComparingTo("0.0035");
    assertThat(out.spans().get(0).category()).isEqualTo(SpanCategory.HTTP);
  }

  @Test
  void genAiLogEventsAreJoinedToTheirSpanInTheSameBatchOrALaterOne() {
    LogRecord early = new LogRecord(1_500_000_000L, 0, T1, "00000000000000cc", 9, "INFO", "gen_ai.user.message",
        Map.of("content", "hello from a log"), "svc", "test", Map.of(), Map.of());
    BatchProcessor processor = new BatchProcessor(SpanNormalizer.create(), new CostCalculator(PriceCatalog.bundled()));
    processor.process(TelemetryBatch.ofLogs("test", List.of(early)));
    TelemetryBatch out = processor.process(TelemetryBatch.ofSpans("test",
        List.of(span(T1, "00000000000000cc", null, "chat gpt-4o", llmAttrs()))));
    assertThat(out.spans().get(0).events()).extracting(e -> e.name()).containsExactly("gen_ai.user.message");

    LogRecord same = new LogRecord(1_500_000_000L, 0, T1, "00000000000000dd", 9, "INFO", "gen_ai.choice",
        Map.of("message", Map.of("content", "hi")), "svc", "test", Map.of(), Map.of());
    TelemetryBatch both = processor.process(new TelemetryBatch("test",
        List.of(span(T1, "00000000000000dd", null, "chat gpt-4o", llmAttrs())), List.of(same), List.of()));
    assertThat(both.spans().get(0).events()).extracting(e -> e.name()).containsExactly("gen_ai.choice");
  }

  @Test
  void aCallMeasuredOnTheWireIsKeptAndPriced() {
    dev.sightline.model.LlmCall measured = new dev.sightline.model.LlmCall("openai", "chat", "gpt-4o", "gpt-4o", true,
        dev.sightline.model.Usage.reported(1000, 0, 0, 0, 100, 0),
        new dev.sightline.model.Timing(1_000_000_000L, 2_000_000_000L, 300_000_000L,
            dev.sightline.model.TtftSource.GATEWAY, 1_900_000_000L, 40_000_000L),
        null, dev.sightline.model.Outcome.OK,
        new dev.sightline.model.CallContext(T1, "00000000000000ee", "svc", null, null, null, null, null, List.of()),
        dev.sightline.model.Content.NONE);
    Span fromGateway = span(T1, "00000000000000ee", null, "chat gpt-4o", Map.of())
        .withNormalized(SpanCategory.LLM, measured, List.of());
    Span out = PROCESSOR.process(TelemetryBatch.ofSpans("gateway", List.of(fromGateway))).spans().get(0);
    assertThat(out.llm().timing().ttftSource()).isEqualTo(dev.sightline.model.TtftSource.GATEWAY);
    assertThat(out.llm().timing().maxInterTokenGapNanos()).isEqualTo(40_000_000L);
    // gpt-4o: 1000 × $2.5e-6 + 100 × $1e-5 = $0.0035
    assertThat(out.llm().cost().totalUsd()).isEqualByComparingTo("0.0035");
  }
}
