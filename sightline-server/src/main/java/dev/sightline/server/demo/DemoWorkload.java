package dev.sightline.server.demo;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The demo's traffic: realistic LLM application traces sent through the real OTLP path with the
 * OpenTelemetry Java SDK (some services over gRPC, some over HTTP/protobuf). RAG requests (HTTP →
 * retrieval → tool call → streamed generation), several providers and models with cached and
 * reasoning tokens, an unpriced self-hosted model, some 429 and 500 errors, sessions and users.
 * Span times are laid out explicitly, so an 8-second request is recorded as 8 seconds without the
 * demo having to wait for it.
 */
public final class DemoWorkload implements AutoCloseable {
  private record Model(String provider, String requestModel, String responseModel, String serverAddress,
      boolean cachesPrompts, boolean reasons) {}

  private static final Model GPT_4O = new Model("openai", "gpt-4o", "gpt-4o-2024-08-06", "api.openai.com", true, false);
  private static final Model GPT_4O_MINI = new Model("openai", "gpt-4o-mini", "gpt-4o-mini-2024-07-18", "api.openai.com", true, false);
  private static final Model O3_MINI = new Model("openai", "o3-mini", "o3-mini-2025-01-31", "api.openai.com", true, true);
  private static final Model CLAUDE = new Model("anthropic", "claude-sonnet-4-20250514", "claude-sonnet-4-20250514",
      "api.anthropic.com", true, false);
  private static final Model BEDROCK_CLAUDE = new Model("aws.bedrock", "us.anthropic.claude-3-5-sonnet-20241022-v2:0",
      "us.anthropic.claude-3-5-sonnet-20241022-v2:0", "bedrock-runtime.us-east-1.amazonaws.com", false, false);
  private static final Model GEMINI = new Model("gcp.gemini", "gemini-2.5-flash", "gemini-2.5-flash",
      "generativelanguage.googleapis.com", false, true);
  private static final Model SELF_HOSTED = new Model("vllm", "acme/support-llama-3.1-8b-ft", "acme/support-llama-3.1-8b-ft",
      "vllm.internal", false, false);
  private static final Model EMBEDDING = new Model("openai", "text-embedding-3-small", "text-embedding-3-small",
      "api.openai.com", false, false);


  private final List<SdkTracerProvider> providers = new ArrayList<>();
  private final Tracer supportBot;
  private final Tracer searchApi;
  private final Tracer summarizer;
  private final Random random;
  /** The simulated engine that serves the self-hosted model, when the demo runs one. */
  private volatile SimulatedEngine engine;
  private long traces;

  /**
   * @param grpcEndpoint e.g. http://127.0.0.1:4317
   * @param httpEndpoint e.g. http://127.0.0.1:4318
   */
  public DemoWorkload(String grpcEndpoint, String httpEndpoint, long seed) {
    this(grpcEndpoint, httpEndpoint, seed, null);
  }

  /** @param ingestKey sent as {@code x-sightline-key} when the server requires keys; null when open */
  public DemoWorkload(String grpcEndpoint, String httpEndpoint, long seed, String ingestKey) {
    this.random = new Random(seed);
    java.util.Map<String, String> headers = ingestKey == null ? java.util.Map.of() : java.util.Map.of("x-sightline-key", ingestKey);
    this.supportBot = tracer("support-bot", OtlpGrpcSpanExporter.builder().setEndpoint(grpcEndpoint)
        .setHeaders(() -> headers).build());
    this.searchApi = tracer("search-api",
        OtlpHttpSpanExporter.builder().setEndpoint(httpEndpoint + "/v1/traces").setHeaders(() -> headers).build());
    this.summarizer = tracer("doc-summarizer", OtlpGrpcSpanExporter.builder().setEndpoint(grpcEndpoint)
        .setHeaders(() -> headers).build());
  }

  /**
   * Lets the simulated vLLM engine serve the self-hosted model's calls: each call loads it, and its
   * TTFT and time per token grow with the engine's KV cache and queue, as a real engine's do.
   */
  public DemoWorkload servedBy(SimulatedEngine e) {
    this.engine = e;
    return this;
  }

  private Tracer tracer(String service, SpanExporter exporter) {
    SdkTracerProvider p = SdkTracerProvider.builder()
        .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
            AttributeKey.stringKey("service.name"), service,
            AttributeKey.stringKey("deployment.environment.name"), "demo"))))
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofMillis(500)).build())
        .build();
    providers.add(p);
    return p.get("sightline-demo");
  }

  public long traces() {
    return traces;
  }

  /** Emits one whole trace, ending now. */
  public void emitTrace() {
    long now = System.currentTimeMillis() * 1_000_000L;
    int pick = random.nextInt(10);
    if (pick < 5) {
      ragChat(now);
    } else if (pick < 8) {
      search(now);
    } else {
      summarize(now);
    }
    traces++;
  }

  /** The 8 s = 2 s retrieval + 1 s tool + 5 s generation request, with some variation. */
  private void ragChat(long end) {
    long retrieval = ms(1500, 2500);
    long tool = ms(600, 1400);
    long generation = ms(3000, 6000);
    long overhead = ms(20, 120);
    long start = end - (retrieval + tool + generation + overhead);
    Model model = pickWeighted(new Model[] {GPT_4O, CLAUDE, BEDROCK_CLAUDE, GPT_4O_MINI, SELF_HOSTED},
        new int[] {35, 25, 15, 15, 10});
    String session = "sess-" + (1 + random.nextInt(20));
    String user = "user-" + (1 + random.nextInt(12));
    Span root = supportBot.spanBuilder("POST /chat").setSpanKind(SpanKind.SERVER).setNoParent()
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute("http.request.method", "POST").setAttribute("http.route", "/chat")
        .setAttribute("url.path", "/chat").setAttribute("user.id", user).setAttribute("session.id", session).startSpan();
    Context ctx = Context.root().with(root);
    long t = start + ms(5, 40);
    DemoScenarios.Scenario scenario = DemoScenarios.pick(random);
    t = retrievalSpan(supportBot, ctx, t, retrieval, scenario);
    String[] tools = {"get_order_status", "lookup_invoice", "search_kb"};
    String toolName = tools[random.nextInt(tools.length)];
    Span toolSpan = supportBot.spanBuilder("execute_tool " + toolName).setParent(ctx)
        .setStartTimestamp(t, TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.operation.name", "execute_tool").setAttribute("gen_ai.tool.name", toolName)
        .setAttribute("gen_ai.tool.call.id", "call_" + Long.toHexString(random.nextLong())).startSpan();
    toolSpan.end(t + tool, TimeUnit.NANOSECONDS);
    t += tool;
    boolean failed = llmSpan(supportBot, ctx, model, t, generation, session, user, true, scenario);
    root.setAttribute("http.response.status_code", failed ? 502 : 200);
    if (failed) {
      root.setStatus(StatusCode.ERROR, "upstream LLM call failed");
    }
    root.end(end, TimeUnit.NANOSECONDS);
  }

  private void search(long end) {
    long retrieval = ms(300, 900);
    long rerank = ms(80, 200);
    long generation = ms(800, 2500);
    long start = end - (retrieval + rerank + generation + ms(10, 50));
    Model model = pickWeighted(new Model[] {CLAUDE, GEMINI, GPT_4O_MINI}, new int[] {40, 35, 25});
    String user = "user-" + (1 + random.nextInt(12));
    Span root = searchApi.spanBuilder("GET /search").setSpanKind(SpanKind.SERVER).setNoParent()
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute("http.request.method", "GET").setAttribute("http.route", "/search")
        .setAttribute("user.id", user).startSpan();
    Context ctx = Context.root().with(root);
    long t = start + ms(2, 20);
    DemoScenarios.Scenario scenario = DemoScenarios.pick(random);
    t = retrievalSpan(searchApi, ctx, t, retrieval, scenario);
    Span rr = searchApi.spanBuilder("rerank").setParent(ctx).setStartTimestamp(t, TimeUnit.NANOSECONDS)
        .setAttribute("openinference.span.kind", "RERANKER").setAttribute("reranker.model_name", "bge-reranker-v2")
        .setAttribute("reranker.top_k", 5L).startSpan();
    rr.end(t + rerank, TimeUnit.NANOSECONDS);
    t += rerank;
    boolean failed = llmSpan(searchApi, ctx, model, t, generation, null, user, random.nextBoolean(), scenario);
    root.setAttribute("http.response.status_code", failed ? 502 : 200);
    if (failed) {
      root.setStatus(StatusCode.ERROR);
    }
    root.end(end, TimeUnit.NANOSECONDS);
  }

  private void summarize(long end) {
    long generation = ms(4000, 12000);
    long start = end - generation - ms(50, 200);
    Model model = pickWeighted(new Model[] {O3_MINI, GEMINI, GPT_4O}, new int[] {50, 30, 20});
    Span root = summarizer.spanBuilder("POST /summarize").setSpanKind(SpanKind.SERVER).setNoParent()
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute("http.request.method", "POST").setAttribute("http.route", "/summarize").startSpan();
    Context ctx = Context.root().with(root);
    // the documents to summarize travel in the prompt: they are the context the summary must rest on
    DemoScenarios.Scenario s = DemoScenarios.pick(random);
    DemoScenarios.Scenario summary = new DemoScenarios.Scenario("Summarize for a customer:\n"
        + String.join("\n", s.documents()), s.documents(), s.faithful(), s.hallucinated());
    boolean failed = llmSpan(summarizer, ctx, model, start + ms(20, 100), generation, null, "batch-job", false,
        summary);
    root.setAttribute("http.response.status_code", failed ? 500 : 200);
    if (failed) {
      root.setStatus(StatusCode.ERROR);
    }
    root.end(end, TimeUnit.NANOSECONDS);
  }

  private long retrievalSpan(Tracer tracer, Context parent, long t, long duration, DemoScenarios.Scenario scenario) {
    Span r = tracer.spanBuilder("retrieve documents").setParent(parent).setStartTimestamp(t, TimeUnit.NANOSECONDS)
        .setAttribute("openinference.span.kind", "RETRIEVER").setAttribute("db.system.name", "qdrant")
        .setAttribute("retrieval.top_k", 8L).startSpan();
    for (int i = 0; i < scenario.documents().size(); i++) {
      r.setAttribute("retrieval.documents." + i + ".document.id", "kb-" + Math.abs(scenario.question().hashCode() % 997)
          + "-" + i);
      r.setAttribute("retrieval.documents." + i + ".document.content", scenario.documents().get(i));
    }
    Context rctx = parent.with(r);
    long embed = Math.min(duration / 4, ms(60, 180));
    long inputTokens = 8 + random.nextInt(40);
    Span e = tracer.spanBuilder("embeddings " + EMBEDDING.requestModel()).setSpanKind(SpanKind.CLIENT).setParent(rctx)
        .setStartTimestamp(t + ms(1, 5), TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.operation.name", "embeddings").setAttribute("gen_ai.provider.name", EMBEDDING.provider())
        .setAttribute("gen_ai.request.model", EMBEDDING.requestModel())
        .setAttribute("gen_ai.response.model", EMBEDDING.responseModel())
        .setAttribute("gen_ai.usage.input_tokens", inputTokens)
        .setAttribute("server.address", EMBEDDING.serverAddress()).startSpan();
    e.end(t + embed, TimeUnit.NANOSECONDS);
    r.end(t + duration, TimeUnit.NANOSECONDS);
    return t + duration;
  }

  /**
   * One LLM call span; returns whether it failed. Usage follows OTel GenAI: input includes cache.
   * About one answer in six carries an error the groundedness evaluator should flag.
   */
  private boolean llmSpan(Tracer tracer, Context parent, Model m, long start, long duration, String session,
      String user, boolean streaming, DemoScenarios.Scenario scenario) {
    int roll = random.nextInt(1000);
    int httpStatus = roll < 30 ? 429 : roll < 45 ? 500 : 200;
    String question = scenario.question();
    String answer = random.nextInt(6) == 0 ? scenario.hallucinated() : scenario.faithful();
    var b = tracer.spanBuilder("chat " + m.requestModel()).setSpanKind(SpanKind.CLIENT).setParent(parent)
        .setStartTimestamp(start, TimeUnit.NANOSECONDS)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", m.provider())
        .setAttribute("gen_ai.request.model", m.requestModel())
        .setAttribute("gen_ai.request.stream", streaming)
        .setAttribute("gen_ai.request.max_tokens", 1024L)
        .setAttribute("server.address", m.serverAddress())
        .setAttribute("gen_ai.input.messages", "[{\"role\":\"system\",\"parts\":[{\"type\":\"text\",\"content\":"
            + "\"You are a helpful support assistant. Answer from the retrieved documents.\"}]},"
            + "{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":" + quote(question) + "}]}]");
    if (session != null) {
      b.setAttribute("gen_ai.conversation.id", session);
    }
    if (user != null) {
      b.setAttribute("user.id", user);
    }
    Span span = b.startSpan();
    if (httpStatus != 200) {
      long failAfter = ms(150, 900);
      span.setAttribute("http.response.status_code", (long) httpStatus);
      span.setAttribute("error.type", httpStatus == 429 ? "rate_limit_exceeded" : "server_error");
      span.setStatus(StatusCode.ERROR, httpStatus == 429 ? "Rate limit reached for requests" : "The server had an error");
      span.end(start + failAfter, TimeUnit.NANOSECONDS);
      return true;
    }
    long promptTokens = 600 + random.nextInt(3500);
    long cacheRead = m.cachesPrompts() && random.nextInt(3) > 0 ? (promptTokens * (40 + random.nextInt(50)) / 100) : 0;
    long cacheWrite = m.provider().equals("anthropic") && cacheRead == 0 ? promptTokens / 2 : 0;
    // Tokens follow from the time: after the first token, one every 8–25 ms (a realistic decode
    // speed), so TPOT and tokens/s in the demo look like a real deployment's.
    long ttft = Math.min(duration / 3, ms(250, 1200));
    long tpotNanos = ms(8, 25);
    SimulatedEngine servedBy = m == SELF_HOSTED ? engine : null;
    if (servedBy != null) {
      SimulatedEngine.Load load = servedBy.load();
      ttft = Math.min(duration * 4 / 5, (long) (ttft * load.ttftFactor()));
      tpotNanos = (long) (tpotNanos * load.tpotFactor());
    }
    long output = Math.max(2, (duration - ttft) / tpotNanos + 1);
    if (servedBy != null) {
      servedBy.requestServed((int) promptTokens, (int) output, ttft / 1e9, tpotNanos / 1e9, duration / 1e9);
    }
    long reasoning = m.reasons() ? output * (30 + random.nextInt(30)) / 100 : 0;
    span.setAttribute("gen_ai.response.model", m.responseModel());
    span.setAttribute("gen_ai.response.id", "resp_" + Long.toHexString(random.nextLong()));
    span.setAttribute("gen_ai.usage.input_tokens", promptTokens);
    if (cacheRead > 0) {
      span.setAttribute("gen_ai.usage.cache_read.input_tokens", cacheRead);
    }
    if (cacheWrite > 0) {
      span.setAttribute("gen_ai.usage.cache_creation.input_tokens", cacheWrite);
    }
    span.setAttribute("gen_ai.usage.output_tokens", output);
    if (reasoning > 0) {
      span.setAttribute("gen_ai.usage.reasoning.output_tokens", reasoning);
    }
    if (streaming) {
      span.setAttribute("gen_ai.response.time_to_first_chunk", ttft / 1e9);
    }
    span.setAttribute(AttributeKey.stringArrayKey("gen_ai.response.finish_reasons"),
        List.of(random.nextInt(20) == 0 ? "length" : "stop"));
    span.setAttribute("gen_ai.output.messages", "[{\"role\":\"assistant\",\"parts\":[{\"type\":\"text\",\"content\":"
        + quote(answer) + "}],\"finish_reason\":\"stop\"}]");
    span.end(start + duration, TimeUnit.NANOSECONDS);
    return false;
  }

  /** A JSON string literal (the demo's texts hold no control characters). */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private Model pickWeighted(Model[] models, int[] weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int r = random.nextInt(total);
    for (int i = 0; i < models.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return models[i];
      }
    }
    return models[models.length - 1];
  }

  private long ms(int lo, int hi) {
    return (lo + random.nextInt(hi - lo + 1)) * 1_000_000L;
  }

  /** Sends everything still buffered. */
  public void flush() {
    for (SdkTracerProvider p : providers) {
      p.forceFlush().join(10, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() {
    for (SdkTracerProvider p : providers) {
      p.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
