package dev.sightline.evaluators;

import dev.sightline.model.CallContext;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.store.Store;
import dev.sightline.store.TraceDetail;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the evaluators on stored LLM calls, off the ingest path: after each commit the server
 * offers the committed calls ({@link #stored}, which never blocks: a full queue drops and counts);
 * evaluator threads take up to {@value #CALLS_PER_READ} of them at a time once
 * {@link EvaluatorSettings#delay} has passed, read their traces from the store in one read, judge
 * each with every evaluator and hand the scores to the {@link ScoreSink}; then each thread pauses to
 * keep its CPU within its part of {@link EvaluatorSettings#cpuShare}. An evaluator that throws costs
 * that call's score from it (counted), never the thread.
 */
public final class Evaluations implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Evaluations.class);
  /**
   * Due calls a thread takes at once: their traces are read together (one query per table rather
   * than per call) and their scores handed on together (one batch, one commit).
   */
  static final int CALLS_PER_READ = 64;

  private record Pending(String project, String traceId, String spanId, long notBeforeNanos) {}

  private final java.util.function.Function<String, Store> stores;
  private final ScoreSink sink;
  private final List<Evaluator> evaluators;
  private final EvaluatorSettings settings;
  private final ThreadClock clock;
  /** Each thread's part of the CPU share; null when uncapped. */
  private final CpuShare perThread;
  private final EvaluationCounters counters = new EvaluationCounters();
  private final ArrayBlockingQueue<Pending> queue;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  /**
   * Calls accepted into the queue whose scores are not handed on yet: counted before the offer and
   * released after the hand-off, so {@link #awaitIdle} never sees a call between the two.
   */
  private final AtomicInteger pending = new AtomicInteger();

  public Evaluations(Store store, ScoreSink sink, List<Evaluator> evaluators, EvaluatorSettings settings) {
    this(project -> store, sink, evaluators, settings);
  }

  /**
   * Evaluations over one store per project: a call is read from its project's store and its scores
   * are handed on with that project, so they land beside it.
   */
  public Evaluations(java.util.function.Function<String, Store> stores, ScoreSink sink, List<Evaluator> evaluators,
      EvaluatorSettings settings) {
    this(stores, sink, evaluators, settings, ThreadClock.system());
  }

  /** With the threads' clock given, so that tests can see the pauses and delays without timing. */
  Evaluations(java.util.function.Function<String, Store> stores, ScoreSink sink, List<Evaluator> evaluators,
      EvaluatorSettings settings, ThreadClock clock) {
    this.stores = stores;
    this.sink = sink;
    this.evaluators = List.copyOf(evaluators);
    this.settings = settings;
    this.clock = clock;
    this.perThread = settings.capped() ? new CpuShare(settings.cpuShare() / settings.threads()) : null;
    this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
    for (int i = 0; i < settings.threads(); i++) {
      Thread t = new Thread(this::work, "sightline-evaluator-" + i);
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      threads.add(t);
      t.start();
    }
  }

  public List<Evaluator> evaluators() {
    return evaluators;
  }

  public EvaluatorSettings settings() {
    return settings;
  }

  public EvaluationCounters counters() {
    return counters;
  }

  /** Calls waiting to be evaluated. */
  public int queued() {
    return queue.size();
  }

  /** Offers the LLM calls of committed batches for evaluation. Never blocks. */
  public void stored(List<TelemetryBatch> batches) {
    if (evaluators.isEmpty() || !running.get()) {
      return;
    }
    long notBefore = clock.wallNanos() + settings.delay().toNanos();
    for (TelemetryBatch b : batches) {
      for (Span s : b.spans()) {
        LlmCall call = s.llm();
        if (call == null) {
          continue;
        }
        counters.countOffered();
        if (!isAnswer(call)) {
          counters.countSkipped();
          continue;
        }
        CallContext ctx = call.context();
        String route = ctx != null ? ctx.route() : null;
        String service = ctx != null ? ctx.service() : s.service();
        if (!settings.policy().sampled(s.traceId(), s.spanId(), route, service)) {
          counters.countSampledOut();
          continue;
        }
        pending.incrementAndGet();
        if (!queue.offer(new Pending(b.project(), s.traceId(), s.spanId(), notBefore))) {
          pending.decrementAndGet();
          counters.countQueueFull();
        }
      }
    }
  }

  /** Failed calls and embeddings have no answer to judge. */
  private static boolean isAnswer(LlmCall call) {
    if (call.outcome() != null && call.outcome().status() == dev.sightline.model.CallStatus.ERROR) {
      return false;
    }
    String op = call.operation();
    return op == null || !(op.equals("embeddings") || op.equals("embedding"));
  }

  private void work() {
    Pending carried = null; // taken from the queue but not due yet: it starts the next batch
    while (running.get() || !queue.isEmpty() || carried != null) {
      Pending first = carried;
      carried = null;
      if (first == null) {
        try {
          first = queue.poll(200, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          first = null;
        }
        if (first == null) {
          continue;
        }
      }
      List<Pending> batch = new ArrayList<>();
      batch.add(first);
      long wait = first.notBeforeNanos() - clock.wallNanos();
      if (wait > 0 && running.get()) {
        try {
          clock.sleep(wait);
        } catch (InterruptedException e) {
          // closing: evaluate what was taken, then stop
        }
      }
      while (batch.size() < CALLS_PER_READ) {
        Pending next = queue.peek();
        if (next == null || next.notBeforeNanos() - clock.wallNanos() > 0) {
          break;
        }
        next = queue.poll(); // another thread may have taken the one seen
        if (next == null) {
          break;
        }
        if (next.notBeforeNanos() - clock.wallNanos() > 0) {
          carried = next;
          break;
        }
        batch.add(next);
      }
      long cpu0 = perThread == null ? 0 : clock.cpuNanos();
      long wall0 = perThread == null ? 0 : clock.wallNanos();
      java.util.Map<String, List<Score>> out = new java.util.LinkedHashMap<>();
      try {
        judge(batch, out);
      } finally {
        handOff(out, batch.size());
      }
      if (perThread != null) {
        pause(perThread.pauseNanos(clock.cpuNanos() - cpu0, clock.wallNanos() - wall0));
      }
    }
  }

  /** Keeps this thread within its CPU share; a close cuts the pause short. */
  private void pause(long nanos) {
    if (nanos <= 0 || !running.get()) {
      return;
    }
    counters.paused(nanos);
    try {
      clock.sleep(nanos);
    } catch (InterruptedException e) {
      // closing: nothing is left to pace
    }
  }

  /** Reads the batch's traces (one store read per project) and judges each call. */
  private void judge(List<Pending> batch, java.util.Map<String, List<Score>> out) {
    java.util.Map<String, List<Pending>> byProject = new java.util.LinkedHashMap<>();
    for (Pending p : batch) {
      byProject.computeIfAbsent(p.project(), k -> new ArrayList<>()).add(p);
    }
    for (var e : byProject.entrySet()) {
      java.util.Map<String, TraceDetail> traces;
      try {
        traces = stores.apply(e.getKey()).traces(e.getValue().stream().map(Pending::traceId).toList(), true);
      } catch (RuntimeException ex) {
        log.warn("reading {} traces to evaluate failed", e.getValue().size(), ex);
        continue;
      }
      List<Score> scores = out.computeIfAbsent(e.getKey(), k -> new ArrayList<>());
      for (Pending p : e.getValue()) {
        try {
          scores.addAll(evaluate(traces.get(p.traceId()), p.spanId()));
        } catch (RuntimeException ex) {
          log.warn("evaluating call {}/{} failed", p.traceId(), p.spanId(), ex);
        }
      }
    }
  }

  /** Hands the scores of {@code calls} judged calls to the sink, per project; releases the calls. */
  private void handOff(java.util.Map<String, List<Score>> out, int calls) {
    try {
      for (var e : out.entrySet()) {
        List<Score> scores = e.getValue();
        if (scores.isEmpty()) {
          continue;
        }
        try {
          if (e.getKey().equals(TelemetryBatch.DEFAULT_PROJECT)) {
            sink.write(List.copyOf(scores));
          } else {
            sink.write(e.getKey(), List.copyOf(scores));
          }
          counters.scoresWritten(scores.size());
        } catch (RuntimeException ex) {
          counters.scoresDropped(scores.size());
          log.warn("{} scores could not be stored and are dropped: {}", scores.size(), ex.getMessage());
        }
      }
    } finally {
      out.clear();
      pending.addAndGet(-calls);
    }
  }

  /** Every evaluator's scores for one stored call; none when the call is not (or no longer) stored. */
  List<Score> evaluate(String traceId, String spanId) {
    return evaluate(TelemetryBatch.DEFAULT_PROJECT, traceId, spanId);
  }

  private List<Score> evaluate(String project, String traceId, String spanId) {
    return evaluate(stores.apply(project).trace(traceId, true).orElse(null), spanId);
  }

  /** Every evaluator's scores for one call of a trace read from the store (null: not stored). */
  private List<Score> evaluate(TraceDetail trace, String spanId) {
    if (trace == null) {
      return List.of();
    }
    String traceId = trace.traceId();
    Span callSpan = null;
    for (Span s : trace.spans()) {
      if (s.spanId().equals(spanId) && s.llm() != null) {
        callSpan = s;
      }
    }
    if (callSpan == null) {
      return List.of();
    }
    counters.evaluatedCall();
    if (callSpan.llm().content().isEmpty()) {
      // nothing to judge, and every evaluator would only say so in its own words
      List<Score> none = new ArrayList<>();
      for (Evaluator e : evaluators) {
        counters.notEvaluated(e.name());
        none.add(Score.notEvaluated(traceId, spanId, e.name(), "no prompt or answer was captured for this call"
            + " (content capture is off, or metadata only)", e.name(), e.version(), System.currentTimeMillis() * 1_000_000L));
      }
      return none;
    }
    return judge(ContextCollector.collect(callSpan, trace.spans()));
  }

  /** Runs every evaluator on one input; what an evaluator throws becomes a not-evaluated score. */
  public List<Score> judge(EvaluationInput input) {
    List<Score> scores = new ArrayList<>();
    for (Evaluator e : evaluators) {
      long t0 = System.nanoTime();
      try {
        for (Score s : e.evaluate(input)) {
          scores.add(s);
          if (!s.evaluated()) {
            counters.notEvaluated(e.name());
          }
        }
      } catch (RuntimeException ex) {
        counters.failed(e.name());
        log.warn("evaluator {} failed on call {}/{}", e.name(), input.traceId(), input.spanId(), ex);
        scores.add(Score.notEvaluated(input.traceId(), input.spanId(), e.name(),
            "the evaluator failed (" + ex.getClass().getSimpleName() + ")", e.name(), e.version(),
            System.currentTimeMillis() * 1_000_000L));
      } finally {
        counters.ran(e.name(), System.nanoTime() - t0);
      }
    }
    return scores;
  }

  /**
   * Waits until every call offered so far has been judged and its scores handed to the sink (for
   * tests and a graceful shutdown); false on timeout.
   */
  public boolean awaitIdle(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (pending.get() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  /** Stops taking calls; evaluates what was already taken. Calls still queued are not evaluated. */
  @Override
  public void close() {
    if (!running.compareAndSet(true, false)) {
      return;
    }
    int left = queue.drainTo(new ArrayList<>());
    pending.addAndGet(-left);
    if (left > 0) {
      log.info("{} calls were still waiting for evaluation at shutdown and are not evaluated", left);
    }
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
