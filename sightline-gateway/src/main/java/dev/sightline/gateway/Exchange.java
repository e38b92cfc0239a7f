package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.logging.ClientConnectionTimings;
import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.Timing;
import dev.sightline.model.TtftSource;
import dev.sightline.model.Usage;
import dev.sightline.model.UsageSource;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * One proxied call, from the moment its request is read to the record it becomes: the clock
 * readings taken on the wire, what the response stream showed, and the canonical {@link Span}
 * built from them. Confined to the server request's event loop until the call ends; the record is
 * then built once, on a blocking thread (the hand-over orders every write before it).
 */
final class Exchange {
  /** Non-streamed bodies are read for usage up to this size; beyond it the call is recorded without usage. */
  static final int MAX_OBSERVED_BODY = 16 << 20;
  private static final byte[] USAGE = JsonBytes.key("usage");

  /** How the call ended. */
  enum End { COMPLETED, CANCELLED, UPSTREAM_UNREACHABLE, UPSTREAM_TIMEOUT, UPSTREAM_FAILED }

  /** How a streamed response is cut into events: Server-Sent Events, NDJSON (Ollama), AWS event stream (Bedrock). */
  enum Framing {
    NONE, SSE, NDJSON, EVENT_STREAM;

    static Framing of(com.linecorp.armeria.common.MediaType ct) {
      if (ct == null) {
        return NONE;
      }
      return switch (ct.subtype()) {
        case "event-stream" -> SSE;
        case "x-ndjson", "ndjson", "jsonl" -> NDJSON;
        case "vnd.amazon.eventstream" -> EVENT_STREAM;
        default -> NONE;
      };
    }
  }

  final Route route;
  final Operation op;
  final RequestInfo request;
  final Attribution attribution;
  final boolean usageInjected;
  private final boolean captureContent;
  /** Bedrock: the model id from the request path (the body does not name it). */
  String bedrockModel;
  /** The request body as sent, kept to count its tokens if the provider reports none. */
  byte[] requestBody;
  /** The project the access decision put the call in. */
  String project = dev.sightline.model.TelemetryBatch.DEFAULT_PROJECT;

  final long receivedNanos;
  long sentNanos;
  long sentEpochNanos;
  long headersNanos = -1;
  long endNanos;
  /** The gateway's own processing time: before sending, around the headers, and per chunk. */
  long overheadNanos;
  long preFirstByteOverheadNanos;
  int status;
  private Framing framing = Framing.NONE;
  private boolean filtering;
  private String contentEncoding;
  /** Bedrock: the {@code x-amzn-errortype} of an error answer, and InvokeModel's token-count headers. */
  private String amznErrorType;
  private Usage headerUsage = Usage.NONE;
  private SseSplitter splitter;
  private LineSplitter lines;
  private EventStreamDecoder frames;
  private StreamTally tally;
  private ByteArrayOutputStream body;
  private boolean bodyTooLarge;
  private int malformedEvents;
  private String observeError;
  ClientConnectionTimings connectTimings;
  /** When the chunk being fed arrived: the framing's sink reads it (one sink per call, not a lambda per chunk). */
  private long eventNanos;
  private SseSplitter.Sink eventSink;
  private LineSplitter.Sink lineSink;
  private EventStreamDecoder.Sink messageSink;
  /** Each event loop's buffer for reading pooled chunks ({@link #onData} runs on the call's event loop only). */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[8192]);
  /** Larger chunks get an array of their own, so that no event loop keeps a large buffer. */
  private static final int SCRATCH_MAX = 64 << 10;

  Exchange(Route route, Operation op, RequestInfo request, Attribution attribution, boolean usageInjected,
      boolean captureContent, long receivedNanos) {
    this.route = route;
    this.op = op;
    this.request = request;
    this.attribution = attribution;
    this.usageInjected = usageInjected;
    this.captureContent = captureContent;
    this.receivedNanos = receivedNanos;
  }

  boolean recorded() {
    return op != null;
  }

  void sent(long nanos) {
    sentNanos = nanos;
    Instant now = Instant.now();
    sentEpochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    overheadNanos += nanos - receivedNanos;
  }

  /** Final (non-1xx) response headers arrived at {@code nanos}. */
  void onHeaders(ResponseHeaders h, long nanos) {
    headersNanos = nanos;
    status = h.status().code();
    if (!recorded()) {
      return;
    }
    framing = Framing.of(h.contentType());
    contentEncoding = h.get("content-encoding");
    if (op.isBedrock()) {
      String t = h.get("x-amzn-errortype");
      if (t != null) {
        int colon = t.indexOf(':');
        amznErrorType = (colon >= 0 ? t.substring(0, colon) : t).trim();
      }
      headerUsage = BedrockUsage.headers(h);
    }
    switch (framing) {
      case SSE -> {
        filtering = usageInjected;
        splitter = new SseSplitter(filtering); // raw events are needed only to forward them filtered
        eventSink = e -> observe(e, eventNanos);
      }
      case NDJSON -> {
        lines = new LineSplitter();
        lineSink = line -> observeLine(line, eventNanos);
      }
      case EVENT_STREAM -> {
        frames = new EventStreamDecoder();
        messageSink = m -> observeMessage(m, eventNanos);
      }
      case NONE -> body = new ByteArrayOutputStream(1024);
    }
    if (framing != Framing.NONE) {
      tally = new StreamTally(op, captureContent);
    }
  }

  /** Whether forwarded bytes differ from the upstream's (the usage chunk is being left out). */
  boolean filtering() {
    return filtering;
  }

  /**
   * Observes one chunk that arrived at {@code nanos}; returns what to forward: {@code data} itself,
   * or (while filtering) the complete events it finished minus the gateway's usage chunk, possibly empty.
   */
  HttpData onData(HttpData data, long nanos) {
    if (!recorded() || headersNanos < 0) {
      return data;
    }
    int n = data.length();
    byte[] b;
    if (data.isPooled() && n <= SCRATCH_MAX) {
      // read a pooled chunk into this event loop's scratch buffer instead of a new array per
      // chunk: every consumer below copies what it keeps
      b = scratch(n);
      ByteBuf buf = data.byteBuf();
      buf.getBytes(buf.readerIndex(), b, 0, n);
    } else {
      b = data.array();
    }
    eventNanos = nanos;
    if (framing == Framing.NDJSON) {
      if (!lines.feed(b, 0, n, lineSink)) {
        observeError = "a line exceeded " + LineSplitter.MAX_LINE_BYTES + " bytes";
      }
      return data;
    }
    if (framing == Framing.EVENT_STREAM) {
      if (!frames.feed(b, 0, n, messageSink) && observeError == null) {
        observeError = frames.error();
      }
      return data;
    }
    if (framing == Framing.NONE) {
      if (!bodyTooLarge) {
        if (body.size() + n > MAX_OBSERVED_BODY) {
          bodyTooLarge = true;
          body = null;
        } else {
          body.write(b, 0, n);
        }
      }
      return data;
    }
    if (!filtering) {
      splitter.feed(b, 0, n, eventSink);
      return data;
    }
    ByteArrayOutputStream kept = new ByteArrayOutputStream(n + 16);
    boolean ok = splitter.feed(b, 0, n, e -> {
      if (!observe(e, nanos)) {
        byte[] raw = stripNullUsage(e.raw());
        kept.write(raw, 0, raw.length);
      }
    });
    if (!ok) {
      // not SSE as we know it: forward what is held and pass the rest through untouched
      byte[] held = splitter.pending();
      kept.write(held, 0, held.length);
      filtering = false;
      observeError = "an event exceeded " + SseSplitter.MAX_EVENT_BYTES + " bytes";
    }
    return HttpData.wrap(kept.toByteArray());
  }

  private static byte[] scratch(int n) {
    byte[] b = SCRATCH.get();
    if (b.length < n) {
      b = new byte[Math.min(SCRATCH_MAX, Math.max(n, b.length * 2))];
      SCRATCH.set(b);
    }
    return b;
  }

  /** Bytes held back while filtering that no event boundary released (a stream that ended mid-event). */
  HttpData flush() {
    if (filtering && splitter != null) {
      byte[] held = splitter.pending();
      if (held.length > 0) {
        return HttpData.wrap(held);
      }
    }
    return null;
  }

  private void observeLine(byte[] line, long nanos) {
    try {
      tally.onOllamaLine(line, nanos);
    } catch (IOException | RuntimeException ex) {
      malformedEvents++;
    }
  }

  private void observeMessage(EventStreamDecoder.Message m, long nanos) {
    try {
      tally.onBedrockMessage(m, nanos);
    } catch (IOException | RuntimeException ex) {
      malformedEvents++;
    }
  }

  /** The stream ended: a last NDJSON line without its newline is still read. */
  private void endOfStream() {
    if (lines != null) {
      byte[] rest = lines.rest();
      if (rest != null) {
        observeLine(rest, endNanos);
      }
    }
    if (frames != null && frames.pending() > 0 && observeError == null) {
      observeError = "the event stream ended inside a message";
    }
  }

  /** True when the event must be left out of what the client gets. */
  private boolean observe(SseSplitter.Event e, long nanos) {
    try {
      return tally.onEvent(e, nanos, usageInjected);
    } catch (IOException | RuntimeException ex) {
      malformedEvents++;
      return false;
    }
  }

  /**
   * Leaves out the top-level {@code "usage":null} member that an upstream adds to every chunk once
   * usage is asked for, so a client that did not ask sees its chunks as the upstream would have sent them.
   */
  static byte[] stripNullUsage(byte[] raw) {
    int i = 0;
    while (true) {
      int k = JsonBytes.indexOf(raw, i, raw.length, USAGE);
      if (k < 0) {
        return raw;
      }
      int p = JsonBytes.skipWs(raw, k + USAGE.length, raw.length);
      if (p < raw.length && raw[p] == ':') {
        int v = JsonBytes.skipWs(raw, p + 1, raw.length);
        if (v + 4 <= raw.length && raw[v] == 'n' && raw[v + 1] == 'u' && raw[v + 2] == 'l' && raw[v + 3] == 'l') {
          return cut(raw, k, v + 4);
        }
      }
      i = k + 1;
    }
  }

  /** Removes the member spanning [key, valueEnd) together with the comma that separates it. */
  private static byte[] cut(byte[] raw, int key, int valueEnd) {
    int from;
    int to = valueEnd;
    int before = key - 1;
    while (before >= 0 && (raw[before] == ' ' || raw[before] == '\t' || raw[before] == '\n' || raw[before] == '\r')) {
      before--;
    }
    if (before >= 0 && raw[before] == ',') {
      from = before;
    } else {
      int after = JsonBytes.skipWs(raw, to, raw.length);
      if (after < raw.length && raw[after] == ',') {
        from = key;
        to = after + 1;
      } else {
        return raw;
      }
    }
    byte[] out = new byte[raw.length - (to - from)];
    System.arraycopy(raw, 0, out, 0, from);
    System.arraycopy(raw, to, out, from, raw.length - to);
    return out;
  }

  Span toSpan(End end, String failure) {
    long endEpoch = epoch(endNanos);
    String requestModel = bedrockModel != null ? bedrockModel : request.model();
    Timing timing;
    Usage usage;
    String responseModel = null;
    String serviceTier = null;
    List<String> finishReasons = List.of();
    String errorType = null;
    JsonNode output = null;
    int contentEvents = 0;
    Map<String, Object> facts = Map.of();
    if (tally != null) {
      if (end == End.COMPLETED) {
        endOfStream();
      }
      facts = tally.facts;
      contentEvents = tally.contentEvents;
      Long ttft = tally.firstContentNanos >= 0 ? tally.firstContentNanos - sentNanos : null;
      Long last = tally.lastContentNanos >= 0 ? epoch(tally.lastContentNanos) : null;
      Long gap = tally.contentEvents > 0 ? tally.maxGapNanos : null;
      timing = new Timing(sentEpochNanos, endEpoch, ttft, ttft == null ? null : TtftSource.GATEWAY, last, gap);
      usage = tally.finalUsage();
      if (!usage.hasTokens() && usage.rejectedReason() == null) {
        usage = headerUsage;
      }
      responseModel = tally.responseModel;
      serviceTier = tally.serviceTier;
      finishReasons = tally.finishReasons;
      errorType = tally.errorType;
      if (captureContent) {
        output = op == Operation.RESPONSES ? GenAiMessages.output(op, tally.finalResponse)
            : GenAiMessages.streamed(tally.text(), finishReasons);
      }
    } else {
      timing = Timing.of(sentEpochNanos, endEpoch);
      usage = Usage.NONE;
      JsonNode root = end == End.COMPLETED ? readBody() : null;
      responseRoot = root;
      if (root != null) {
        if (status >= 400) {
          errorType = ErrorBodies.typeOf(root);
        } else {
          usage = usageOf(root);
          responseModel = root.path("model").asText(null);
          // OpenAI says which tier served the call at the top level, Anthropic inside usage
          serviceTier = root.path("service_tier").asText(root.path("usage").path("service_tier").asText(null));
          finishReasons = finishReasons(root);
          errorType = ErrorBodies.typeOf(root);
          if (captureContent && op != Operation.EMBEDDINGS) {
            output = GenAiMessages.output(op, root);
          }
          facts = new LinkedHashMap<>(4);
          if (op.isOllama()) {
            OllamaUsage.durations(root, facts);
          }
          JsonNode latency = root.path("metrics").get("latencyMs");
          if (op == Operation.CONVERSE && latency != null && latency.isNumber()) {
            facts.put("aws.bedrock.latency_ms", latency.asDouble());
          }
        }
      }
      if (!usage.hasTokens() && usage.rejectedReason() == null && status < 400) {
        usage = headerUsage;
      }
    }
    if (errorType == null && amznErrorType != null && status >= 400) {
      errorType = amznErrorType;
    }
    if (!usage.hasTokens() && usage.rejectedReason() == null) {
      usage = estimate(end, requestModel != null ? requestModel : responseModel, contentEvents, output);
    } else if (end == End.CANCELLED && op == Operation.MESSAGES && tally != null && !tally.sawMessageDelta
        && usage.hasTokens()) {
      // Anthropic reported its input side in message_start, but the final output count never came:
      // the output is at least one token per content delta seen.
      usage = new Usage(usage.inputUncached(), usage.inputCacheRead(), usage.inputCacheWrite5m(),
          usage.inputCacheWrite1h(), Math.max(usage.outputText(), contentEvents), 0, UsageSource.ESTIMATED, false,
          null);
    }
    Integer httpStatus = status > 0 ? status : null;
    switch (end) {
      case CANCELLED -> errorType = "cancelled";
      case UPSTREAM_UNREACHABLE -> {
        errorType = "upstream_unreachable";
        httpStatus = 502;
      }
      case UPSTREAM_TIMEOUT -> {
        errorType = "upstream_timeout";
        httpStatus = httpStatus == null ? 504 : httpStatus;
      }
      case UPSTREAM_FAILED -> errorType = errorType != null ? errorType : "upstream_stream_error";
      case COMPLETED -> {
        if (errorType == null && status >= 400) {
          errorType = Integer.toString(status);
        }
      }
    }
    CallStatus callStatus = errorType == null ? CallStatus.OK : CallStatus.ERROR;
    Outcome outcome = new Outcome(callStatus, httpStatus, errorType, finishReasons);
    Attribution a = attribution;
    CallContext context = new CallContext(a.traceId(), a.spanId(), a.service(), a.route(), a.sessionId(), a.userId(),
        a.promptName(), a.promptVersion(), a.tags());
    Content content = captureContent ? route.capture().stored(GenAiMessages.of(op, request, output)) : Content.NONE;
    LlmCall call = new LlmCall(route.provider(), op.wire, requestModel, responseModel,
        framing != Framing.NONE || request.stream(), usage, timing, null, outcome, context, content)
        .withServiceTier(serviceTier);
    Map<String, Object> attrs = attributes(call, contentEvents, failure);
    attrs.putAll(facts);
    SpanCategory category = op == Operation.EMBEDDINGS ? SpanCategory.EMBEDDING : SpanCategory.LLM;
    String name = requestModel == null ? op.wire : op.wire + " " + requestModel;
    return new Span(a.traceId(), a.spanId(), a.parentSpanId(), name, SpanKind.CLIENT, sentEpochNanos, endEpoch,
        callStatus == CallStatus.OK ? SpanStatus.UNSET : SpanStatus.ERROR, callStatus == CallStatus.OK ? null : errorType,
        a.service(), "dev.sightline.gateway", attrs, Map.of("service.name", a.service()), List.of(), category, call,
        List.of());
  }

  /**
   * The call as GenAI semantic-convention attributes too, so that the span reads the same to
   * anything that looks only at attributes (content stays out of them: it lives in {@link Content}).
   */
  private Map<String, Object> attributes(LlmCall call, int contentEvents, String failure) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gen_ai.operation.name", call.operation());
    m.put("gen_ai.provider.name", call.provider());
    putIfNotNull(m, "gen_ai.request.model", call.requestModel());
    putIfNotNull(m, "gen_ai.response.model", call.responseModel());
    m.put("gen_ai.request.stream", Boolean.TRUE.equals(call.streaming()));
    Usage u = call.usage();
    if (u.hasTokens()) {
      m.put("gen_ai.usage.input_tokens", u.inputTokens());
      m.put("gen_ai.usage.output_tokens", u.outputTokens());
      m.put("gen_ai.usage.cache_read.input_tokens", u.inputCacheRead());
      if (u.cacheWriteTokens() > 0) {
        m.put("gen_ai.usage.cache_creation.input_tokens", u.cacheWriteTokens());
      }
      m.put("gen_ai.usage.reasoning.output_tokens", u.outputReasoning());
      m.put("sightline.usage.source", u.source().wire());
    }
    if (call.timing().ttftNanos() != null) {
      m.put("gen_ai.response.time_to_first_chunk", call.timing().ttftNanos() / 1e9);
    }
    if (!call.outcome().finishReasons().isEmpty()) {
      m.put("gen_ai.response.finish_reasons", call.outcome().finishReasons());
    }
    if (call.outcome().httpStatus() != null) {
      m.put("http.response.status_code", (long) call.outcome().httpStatus());
    }
    putIfNotNull(m, "error.type", call.outcome().errorType());
    m.put("server.address", route.upstream().getHost());
    m.put("server.port", (long) route.port());
    CallContext c = call.context();
    putIfNotNull(m, "session.id", c.sessionId());
    putIfNotNull(m, "user.id", c.userId());
    putIfNotNull(m, "gen_ai.prompt.name", c.promptName());
    putIfNotNull(m, "gen_ai.prompt.version", c.promptVersion());
    if (!c.tags().isEmpty()) {
      m.put("tag.tags", c.tags());
    }
    m.put("sightline.gateway.route", route.name());
    m.put("sightline.gateway.overhead_ms", overheadNanos / 1e6);
    m.put("sightline.gateway.overhead_before_first_byte_ms", preFirstByteOverheadNanos / 1e6);
    if (headersNanos >= 0) {
      m.put("sightline.gateway.upstream_headers_ms", (headersNanos - sentNanos) / 1e6);
    }
    if (connectTimings != null) {
      m.put("sightline.gateway.upstream_connect_ms", connectTimings.socketConnectDurationNanos() / 1e6);
      if (connectTimings.tlsHandshakeDurationNanos() >= 0) {
        m.put("sightline.gateway.upstream_tls_ms", connectTimings.tlsHandshakeDurationNanos() / 1e6);
      }
    }
    if (tally != null) {
      m.put("sightline.gateway.content_chunks", (long) contentEvents);
    }
    if (usageInjected) {
      m.put("sightline.gateway.usage_injected", true);
    }
    if (malformedEvents > 0) {
      m.put("sightline.gateway.malformed_events", (long) malformedEvents);
    }
    if (bodyTooLarge) {
      m.put("sightline.gateway.body_not_read", "response body over " + MAX_OBSERVED_BODY + " bytes");
    }
    putIfNotNull(m, "sightline.gateway.observe_error", observeError);
    putIfNotNull(m, "sightline.gateway.failure", failure);
    return m;
  }

  /** The parsed body of a non-streamed answer, while {@link #toSpan} runs. */
  private JsonNode responseRoot;

  /**
   * Token counts for a call whose provider reported none ({@link TokenEstimate}): a completed call
   * gets its prompt counted and its output either counted from the body or, for a stream, taken
   * as one token per content chunk (what OpenAI-compatible servers send); a stream that ended
   * early (client gone, upstream broke off) keeps the tokens seen so far. Failed calls and calls
   * the upstream never answered get none.
   */
  private Usage estimate(End end, String model, int contentEvents, JsonNode capturedOutput) {
    boolean completed = end == End.COMPLETED && status > 0 && status < 400;
    boolean cutShort = (end == End.CANCELLED || end == End.UPSTREAM_FAILED) && headersNanos >= 0 && status < 400;
    if (!completed && !cutShort) {
      return Usage.NONE;
    }
    long in = 0;
    if (requestBody != null) {
      try {
        in = TokenEstimate.prompt(RequestInfo.JSON.readTree(requestBody), model);
      } catch (IOException | RuntimeException e) {
        in = 0;
      }
    }
    long out;
    if (tally != null || !completed) {
      out = contentEvents;
    } else if (op == Operation.EMBEDDINGS || responseRoot == null) {
      out = 0;
    } else {
      out = TokenEstimate.output(capturedOutput != null ? capturedOutput : GenAiMessages.output(op, responseRoot), model);
    }
    if (in == 0 && out == 0) {
      return Usage.NONE;
    }
    return new Usage(in, 0, 0, 0, out, 0, UsageSource.ESTIMATED, false, null);
  }

  /** The usage a non-streamed answer reports, read in the shape of the route's API. */
  private Usage usageOf(JsonNode root) {
    return switch (op) {
      case MESSAGES -> AnthropicUsage.of(root.get("usage"));
      case OLLAMA_CHAT, OLLAMA_GENERATE -> OllamaUsage.of(root);
      case CONVERSE -> BedrockUsage.converse(root.get("usage"));
      case INVOKE -> {
        // Anthropic's body shape for Claude models; other families' bodies vary, so their usage
        // comes from the token-count headers
        JsonNode u = root.get("usage");
        yield u != null && u.has("input_tokens") ? AnthropicUsage.of(u) : ReportedUsage.of(u);
      }
      default -> ReportedUsage.of(root.get("usage"));
    };
  }

  private JsonNode readBody() {
    if (body == null || body.size() == 0) {
      return null;
    }
    try (InputStream in = decoded(body.toByteArray())) {
      if (in == null) {
        observeError = "response body in content-encoding " + contentEncoding + " was not read";
        return null;
      }
      return RequestInfo.JSON.readTree(in);
    } catch (IOException | RuntimeException e) {
      observeError = "response body is not JSON";
      return null;
    }
  }

  private InputStream decoded(byte[] b) throws IOException {
    if (contentEncoding == null || contentEncoding.equalsIgnoreCase("identity")) {
      return new ByteArrayInputStream(b);
    }
    if (contentEncoding.equalsIgnoreCase("gzip") || contentEncoding.equalsIgnoreCase("x-gzip")) {
      return new GZIPInputStream(new ByteArrayInputStream(b));
    }
    if (contentEncoding.equalsIgnoreCase("deflate")) {
      return new InflaterInputStream(new ByteArrayInputStream(b));
    }
    return null;
  }

  private List<String> finishReasons(JsonNode root) {
    List<String> out = new ArrayList<>(1);
    if (op.isOllama() || op == Operation.CONVERSE) {
      String reason = root.path(op == Operation.CONVERSE ? "stopReason" : "done_reason").asText(null);
      if (reason != null) {
        out.add(reason);
      }
      return out;
    }
    if (op == Operation.MESSAGES || (op == Operation.INVOKE && root.has("stop_reason"))) {
      String stop = root.path("stop_reason").asText(null);
      if (stop != null) {
        out.add(stop);
      }
      return out;
    }
    if (op == Operation.RESPONSES) {
      String reason = root.path("incomplete_details").path("reason").asText(null);
      String s = reason != null ? reason : root.path("status").asText(null);
      if (s != null) {
        out.add(s);
      }
      return out;
    }
    for (JsonNode c : root.path("choices")) {
      String f = c.path("finish_reason").asText(null);
      if (f != null && !out.contains(f)) {
        out.add(f);
      }
    }
    return out;
  }

  private long epoch(long nanos) {
    return sentEpochNanos + (nanos - sentNanos);
  }

  private static void putIfNotNull(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
