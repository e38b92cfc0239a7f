package dev.sightline.evaluators;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.Score;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.DuckDbStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator framework on a real store: what evaluators see, sampling, a full queue, failures. */
class EvaluationsTest {
  static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  @TempDir
  Path dir;
  DuckDbStore store;
  final List<Score> written = new CopyOnWriteArrayList<>();
  final List<EvaluationInput> seen = new CopyOnWriteArrayList<>();

  /** Records what it was given and scores every answer by its length, so tests can check both. */
  final Evaluator recording = new Evaluator() {
    @Override
    public String name() {
      return "recording";
    }

    @Override
    public String version() {
      return "1";
    }

    @Override
    public List<Score> evaluate(EvaluationInput in) {
      seen.add(in);
      return List.of(new Score(in.traceId(), in.spanId(), name(), (double) in.answer().length(), "ok", false, null,
          Score.SOURCE_EVALUATOR, name(), version(), null, 1L));
    }
  };

  @BeforeEach
  void open() {
    store = DuckDbStore.open(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private TelemetryBatch ragTrace(String trace, String route, String spanId, CallStatus status) {
    TelemetryBatch b = TelemetryBatch.ofSpans("test", List.of(TraceBuilder.root(trace, route),
        TraceBuilder.retrieval(trace, "Refunds are issued within 14 days of the return.",
            "Gift cards cannot be refunded."),
        TraceBuilder.llm(trace, spanId, route, "Answer from the documents only.", "How long do refunds take?",
            "Refunds arrive within 14 days.", status)));
    store.write(List.of(b));
    return b;
  }

  private static EvaluatorSettings settings(EvaluationPolicy policy, int capacity) {
    return new EvaluatorSettings(policy, capacity, 1, Duration.ZERO);
  }

  @Test
  void anEvaluatorSeesTheAnswerThePromptAndTheTracesRetrievedDocuments() throws Exception {
    TelemetryBatch b = ragTrace(TRACE, "POST /chat", "00000000000000c1", CallStatus.OK);
    try (Evaluations ev = new Evaluations(store, written::addAll, List.of(recording), settings(EvaluationPolicy.ALL, 10))) {
      ev.stored(List.of(b));
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).hasSize(1);
      EvaluationInput in = seen.get(0);
      assertThat(in.answer()).isEqualTo("Refunds arrive within 14 days.");
      assertThat(in.prompt()).isEqualTo("How long do refunds take?");
      assertThat(in.context()).extracting(ContextPassage::source, ContextPassage::title, ContextPassage::text)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("system", "system instructions", "Answer from the documents only."),
              org.assertj.core.groups.Tuple.tuple("user", "user message", "How long do refunds take?"),
              org.assertj.core.groups.Tuple.tuple("retrieval", "doc-0", "Refunds are issued within 14 days of the return."),
              org.assertj.core.groups.Tuple.tuple("retrieval", "doc-1", "Gift cards cannot be refunded."));
      assertThat(written).singleElement().satisfies(s -> {
        assertThat(s.traceId()).isEqualTo(TRACE);
        assertThat(s.spanId()).isEqualTo("00000000000000c1");
        assertThat(s.value()).isEqualTo(30.0);
      });
      assertThat(ev.counters().offered()).isEqualTo(1);
      assertThat(ev.counters().evaluatedCalls()).isEqualTo(1);
      assertThat(ev.counters().scoresWritten()).isEqualTo(1);
    }
  }

  @Test
  void failedCallsAreNotJudgedAndARouteSwitchedOffIsSampledOut() throws Exception {
    TelemetryBatch failed = ragTrace(TRACE, "POST /chat", "00000000000000c1", CallStatus.ERROR);
    TelemetryBatch off = ragTrace("1af7651916cd43dd8448eb211c80319c", "POST /internal", "00000000000000c2",
        CallStatus.OK);
    TelemetryBatch on = ragTrace("2af7651916cd43dd8448eb211c80319c", "POST /chat", "00000000000000c3",
        CallStatus.OK);
    EvaluationPolicy policy = new EvaluationPolicy(1.0, Map.of("POST /internal", 0.0), Map.of());
    try (Evaluations ev = new Evaluations(store, written::addAll, List.of(recording), settings(policy, 10))) {
      ev.stored(List.of(failed, off, on));
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(written).extracting(Score::spanId).containsExactly("00000000000000c3");
      assertThat(ev.counters().skipped()).isEqualTo(1);
      assertThat(ev.counters().sampledOut()).isEqualTo(1);
    }
  }

  @Test
  void aFullQueueDropsAndCountsInsteadOfWaiting() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    Evaluator slow = new Evaluator() {
      @Override
      public String name() {
        return "slow";
      }

      @Override
      public String version() {
        return "1";
      }

      @Override
      public List<Score> evaluate(EvaluationInput in) {
        started.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return List.of();
      }
    };
    TelemetryBatch b = ragTrace(TRACE, "POST /chat", "00000000000000c1", CallStatus.OK);
    try (Evaluations ev = new Evaluations(store, written::addAll, List.of(slow), settings(EvaluationPolicy.ALL, 2))) {
      ev.stored(List.of(b));
      assertThat(started.await(10, TimeUnit.SECONDS)).isTrue(); // the one thread is now busy
      long t0 = System.nanoTime();
      ev.stored(List.of(b, b, b, b)); // two fit, two are dropped, and the caller never waits
      assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(5);
      assertThat(ev.queued()).isEqualTo(2);
      assertThat(ev.counters().queueFull()).isEqualTo(2);
      release.countDown();
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ev.counters().evaluatedCalls()).isEqualTo(3);
    }
  }

  @Test
  void anEvaluatorThatThrowsGivesANotEvaluatedScoreAndTheOthersStillRun() throws Exception {
    Evaluator broken = new Evaluator() {
      @Override
      public String name() {
        return "broken";
      }

      @Override
      public String version() {
        return "7";
      }

      @Override
      public List<Score> evaluate(EvaluationInput in) {
        throw new IllegalStateException("boom");
      }
    };
    TelemetryBatch b = ragTrace(TRACE, "POST /chat", "00000000000000c1", CallStatus.OK);
    try (Evaluations ev = new Evaluations(store, written::addAll, List.of(broken, recording),
        settings(EvaluationPolicy.ALL, 10))) {
      ev.stored(List.of(b));
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(written).extracting(Score::name, Score::label)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("broken", Score.NOT_EVALUATED),
              org.assertj.core.groups.Tuple.tuple("recording", "ok"));
      assertThat(written.get(0).explanation()).contains("evaluator failed").contains("IllegalStateException");
      assertThat(written.get(0).evaluatorVersion()).isEqualTo("7");
      assertThat(ev.counters().failuresByEvaluator()).containsEntry("broken", 1L);
    }
  }

  @Test
  void aCallWithoutCapturedContentGetsAReasonFromEveryEvaluatorWithoutRunningThem() throws Exception {
    dev.sightline.model.Span llm = TraceBuilder.llm(TRACE, "00000000000000c1", "POST /chat", null, "q", "a",
        CallStatus.OK);
    llm = llm.withLlm(llm.llm().withContent(dev.sightline.model.Content.NONE));
    TelemetryBatch b = TelemetryBatch.ofSpans("test", List.of(TraceBuilder.root(TRACE, "POST /chat"), llm));
    store.write(List.of(b));
    try (Evaluations ev = new Evaluations(store, written::addAll, List.of(recording), settings(EvaluationPolicy.ALL, 10))) {
      ev.stored(List.of(b));
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(seen).isEmpty();
      assertThat(written).singleElement().satisfies(s -> {
        assertThat(s.label()).isEqualTo(Score.NOT_EVALUATED);
        assertThat(s.explanation()).contains("no prompt or answer was captured");
      });
      assertThat(ev.counters().notEvaluatedByEvaluator()).containsEntry("recording", 1L);
    }
  }

  @Test
  void scoresThatTheSinkRefusesAreCountedAsDropped() throws Exception {
    TelemetryBatch b = ragTrace(TRACE, "POST /chat", "00000000000000c1", CallStatus.OK);
    ScoreSink refusing = scores -> {
      throw new IllegalStateException("queue full");
    };
    try (Evaluations ev = new Evaluations(store, refusing, List.of(recording), settings(EvaluationPolicy.ALL, 10))) {
      ev.stored(List.of(b));
      assertThat(ev.awaitIdle(10, TimeUnit.SECONDS)).isTrue();
      assertThat(ev.counters().scoresDropped()).isEqualTo(1);
      assertThat(ev.counters().scoresWritten()).isZero();
    }
  }
}
