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
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the evaluators on stored LLM calls, off the ingest path: after each commit the server
 * offers the committed calls ({@link #stored}, which never blocks: a full queue drops and counts);
 * evaluator threads take them once {@link EvaluatorSettings#delay} has passed, read the call's trace
 * from the store, judge it with every evaluator and hand the scores to the {@link ScoreSink}. An
 * evaluator that throws costs that call's score from it (counted), never the thread.
 */
public final class Evaluations implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Evaluations.class);
  /** Calls judged before their scores are handed on together (one batch, one commit). */
  private static final int SCORES_PER_HANDOFF = 64;

  private record Pending(String project, String traceId, String spanId, long notBeforeNanos) {}

  private final java.util.function.Function<String, Store> stores;
  private final ScoreSink sink;
  private final List<Evaluator> evaluators;
  private final EvaluatorSettings settings;
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
    this.stores = stores;
    this.sink = sink;
    this.evaluators = List.copyOf(evaluators);
    this.settings = settings;
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
    long notBefore = System.nanoTime() + settings.delay().toNanos();
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
    java.util.Map<String, List<Score>> out = new java.util.LinkedHashMap<>();
    int calls = 0;
    while (running.get() || !queue.isEmpty()) {
      Pending p;
      try {
        p = queue.poll(out.isEmpty() ? 200 : 0, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        p = null;
      }
      if (p == null) {
        calls = handOff(out, calls);
        continue;
      }
      try { // counted in `calls` once judged: a hand-off while it waits leaves it pending
        long wait = p.notBeforeNanos() - System.nanoTime();
        if (wait > 0 && running.get()) {
          calls = handOff(out, calls); // do not sit on finished scores while waiting
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        out.computeIfAbsent(p.project(), k -> new ArrayList<>()).addAll(evaluate(p.project(), p.traceId(), p.spanId()));
      } catch (InterruptedException e) {
        // closing: evaluate what was taken, then stop
        out.computeIfAbsent(p.project(), k -> new ArrayList<>()).addAll(evaluate(p.project(), p.traceId(), p.spanId()));
      } catch (RuntimeException e) {
        log.warn("evaluating call {}/{} failed", p.traceId(), p.spanId(), e);
      }
      calls++;
      if (calls >= SCORES_PER_HANDOFF) {
        calls = handOff(out, calls);
      }
    }
    handOff(out, calls);
  }

  private int handOff(java.util.Map<String, List<Score>> out, int calls) {
    if (calls == 0) {
      return 0;
    }
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
    return 0;
  }

  /** Every evaluator's scores for one stored call; none when the call is not (or no longer) stored. */
  List<Score> evaluate(String traceId, String spanId) {
    return evaluate(TelemetryBatch.DEFAULT_PROJECT, traceId, spanId);
  }

  private List<Score> evaluate(String project, String traceId, String spanId) {
    Optional<TraceDetail> trace = stores.apply(project).trace(traceId, true);
    if (trace.isEmpty()) {
      return List.of();
    }
    Span callSpan = null;
    for (Span s : trace.get().spans()) {
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
    return judge(ContextCollector.collect(callSpan, trace.get().spans()));
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
