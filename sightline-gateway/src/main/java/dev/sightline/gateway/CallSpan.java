package dev.sightline.gateway;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

/**
 * The canonical {@link Span} of one ended {@link Exchange}: its timing, usage (reported, from
 * headers, or estimated), outcome and GenAI attributes. Built once, on the recorder's thread.
 */
final class CallSpan {
  private final Exchange x;
  /** The parsed body of a non-streamed answer, while the span is built. */
  private JsonNode responseRoot;

  private CallSpan(Exchange x) {
    this.x = x;
  }

  /** The record of {@code x}, which has ended as {@code end} ({@code failure}: why, or null). */
  static Span of(Exchange x, Exchange.End end, String failure) {
    return new CallSpan(x).build(end, failure);
  }

  private Span build(Exchange.End end, String failure) {
    long endEpoch = epoch(x.endNanos);
    String requestModel = x.bedrockModel != null ? x.bedrockModel : x.request.model();
    Timing timing;
    Usage usage;
    String responseModel = null;
    String serviceTier = null;
    List<String> finishReasons = List.of();
    String errorType = null;
    JsonNode output = null;
    int contentEvents = 0;
    Map<String, Object> facts = Map.of();
    if (x.tally != null) {
      if (end == Exchange.End.COMPLETED) {
        x.endOfStream();
      }
      facts = x.tally.facts;
      contentEvents = x.tally.contentEvents;
      Long ttft = x.tally.firstContentNanos >= 0 ? x.tally.firstContentNanos - x.sentNanos : null;
      Long last = x.tally.lastContentNanos >= 0 ? epoch(x.tally.lastContentNanos) : null;
      Long gap = x.tally.contentEvents > 0 ? x.tally.maxGapNanos : null;
      timing = new Timing(x.sentEpochNanos, endEpoch, ttft, ttft == null ? null : TtftSource.GATEWAY, last, gap);
      usage = x.tally.finalUsage();
      if (!usage.hasTokens() && usage.rejectedReason() == null) {
        usage = x.headerUsage;
      }
      responseModel = x.tally.responseModel;
      serviceTier = x.tally.serviceTier;
      finishReasons = x.tally.finishReasons;
      errorType = x.tally.errorType;
      if (x.captureContent) {
        output = x.op == Operation.RESPONSES ? GenAiMessages.output(x.op, x.tally.finalResponse)
            : GenAiMessages.streamed(x.tally.text(), finishReasons);
      }
    } else {
      timing = Timing.of(x.sentEpochNanos, endEpoch);
      usage = Usage.NONE;
      JsonNode root = end == Exchange.End.COMPLETED ? readBody() : null;
      responseRoot = root;
      if (root != null) {
        if (x.status >= 400) {
          errorType = ErrorBodies.typeOf(root);
        } else {
          usage = usageOf(root);
          responseModel = root.path("model").asText(null);
          // OpenAI says which tier served the call at the top level, Anthropic inside usage
          serviceTier = root.path("service_tier").asText(root.path("usage").path("service_tier").asText(null));
          finishReasons = finishReasons(root);
          errorType = ErrorBodies.typeOf(root);
          if (x.captureContent && x.op != Operation.EMBEDDINGS) {
            output = GenAiMessages.output(x.op, root);
          }
          facts = new LinkedHashMap<>(4);
          if (x.op.isOllama()) {
            OllamaUsage.durations(root, facts);
          }
          JsonNode latency = root.path("metrics").get("latencyMs");
          if (x.op == Operation.CONVERSE && latency != null && latency.isNumber()) {
            facts.put("aws.bedrock.latency_ms", latency.asDouble());
          }
        }
      }
      if (!usage.hasTokens() && usage.rejectedReason() == null && x.status < 400) {
        usage = x.headerUsage;
      }
    }
    if (errorType == null && x.amznErrorType != null && x.status >= 400) {
      errorType = x.amznErrorType;
    }
    if (!usage.hasTokens() && usage.rejectedReason() == null) {
      usage = estimate(end, requestModel != null ? requestModel : responseModel, contentEvents, output);
    } else if (end == Exchange.End.CANCELLED && x.op == Operation.MESSAGES && x.tally != null
        && !x.tally.sawMessageDelta
        && usage.hasTokens()) {
      // Anthropic reported its input side in message_start, but the final output count never came:
      // the output is at least one token per content delta seen.
      usage = new Usage(usage.inputUncached(), usage.inputCacheRead(), usage.inputCacheWrite5m(),
          usage.inputCacheWrite1h(), Math.max(usage.outputText(), contentEvents), 0, UsageSource.ESTIMATED, false,
          null);
    }
    Integer httpStatus = x.status > 0 ? x.status : null;
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
        if (errorType == null && x.status >= 400) {
          errorType = Integer.toString(x.status);
        }
      }
    }
    CallStatus callStatus = errorType == null ? CallStatus.OK : CallStatus.ERROR;
    Outcome outcome = new Outcome(callStatus, httpStatus, errorType, finishReasons);
    Attribution a = x.attribution;
    CallContext context = new CallContext(a.traceId(), a.spanId(), a.service(), a.route(), a.sessionId(), a.userId(),
        a.promptName(), a.promptVersion(), a.tags());
    Content content = x.captureContent ? x.route.capture().stored(GenAiMessages.of(x.op, x.request, output))
        : Content.NONE;
    LlmCall call = new LlmCall(x.route.provider(), x.op.wire, requestModel, responseModel,
        x.framing != Exchange.Framing.NONE || x.request.stream(), usage, timing, null, outcome, context, content)
        .withServiceTier(serviceTier);
    Map<String, Object> attrs = attributes(call, contentEvents, failure);
    attrs.putAll(facts);
    SpanCategory category = x.op == Operation.EMBEDDINGS ? SpanCategory.EMBEDDING : SpanCategory.LLM;
    String name = requestModel == null ? x.op.wire : x.op.wire + " " + requestModel;
    return new Span(a.traceId(), a.spanId(), a.parentSpanId(), name, SpanKind.CLIENT, x.sentEpochNanos, endEpoch,
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
    m.put("server.address", x.route.upstream().getHost());
    m.put("server.port", (long) x.route.port());
    CallContext c = call.context();
    putIfNotNull(m, "session.id", c.sessionId());
    putIfNotNull(m, "user.id", c.userId());
    putIfNotNull(m, "gen_ai.prompt.name", c.promptName());
    putIfNotNull(m, "gen_ai.prompt.version", c.promptVersion());
    if (!c.tags().isEmpty()) {
      m.put("tag.tags", c.tags());
    }
    m.put("sightline.gateway.route", x.route.name());
    m.put("sightline.gateway.overhead_ms", x.overheadNanos / 1e6);
    m.put("sightline.gateway.overhead_before_first_byte_ms", x.preFirstByteOverheadNanos / 1e6);
    if (x.headersNanos >= 0) {
      m.put("sightline.gateway.upstream_headers_ms", (x.headersNanos - x.sentNanos) / 1e6);
    }
    if (x.connectTimings != null) {
      m.put("sightline.gateway.upstream_connect_ms", x.connectTimings.socketConnectDurationNanos() / 1e6);
      if (x.connectTimings.tlsHandshakeDurationNanos() >= 0) {
        m.put("sightline.gateway.upstream_tls_ms", x.connectTimings.tlsHandshakeDurationNanos() / 1e6);
      }
    } else if (x.upstreamConnectNanos >= 0) {
      m.put("sightline.gateway.upstream_connect_ms", x.upstreamConnectNanos / 1e6);
    }
    if (x.tally != null) {
      m.put("sightline.gateway.content_chunks", (long) contentEvents);
    }
    if (x.usageInjected) {
      m.put("sightline.gateway.usage_injected", true);
    }
    if (x.malformedEvents > 0) {
      m.put("sightline.gateway.malformed_events", (long) x.malformedEvents);
    }
    if (x.bodyTooLarge) {
      m.put("sightline.gateway.body_not_read", "response body over " + Exchange.MAX_OBSERVED_BODY + " bytes");
    }
    putIfNotNull(m, "sightline.gateway.observe_error", x.observeError);
    putIfNotNull(m, "sightline.gateway.failure", failure);
    return m;
  }

  /**
   * Token counts for a call whose provider reported none ({@link TokenEstimate}): a completed call
   * gets its prompt counted and its output either counted from the body or, for a stream, taken
   * as one token per content chunk (what OpenAI-compatible servers send); a stream that ended
   * early (client gone, upstream broke off) keeps the tokens seen so far. Failed calls and calls
   * the upstream never answered get none.
   */
  private Usage estimate(Exchange.End end, String model, int contentEvents, JsonNode capturedOutput) {
    boolean completed = end == Exchange.End.COMPLETED && x.status > 0 && x.status < 400;
    boolean cutShort = (end == Exchange.End.CANCELLED || end == Exchange.End.UPSTREAM_FAILED) && x.headersNanos >= 0
        && x.status < 400;
    if (!completed && !cutShort) {
      return Usage.NONE;
    }
    long in = 0;
    if (x.requestBody != null) {
      try {
        in = TokenEstimate.prompt(RequestInfo.JSON.readTree(x.requestBody), model);
      } catch (IOException | RuntimeException e) {
        in = 0;
      }
    }
    long out;
    if (x.tally != null || !completed) {
      out = contentEvents;
    } else if (x.op == Operation.EMBEDDINGS || responseRoot == null) {
      out = 0;
    } else {
      out = TokenEstimate.output(capturedOutput != null ? capturedOutput : GenAiMessages.output(x.op, responseRoot), model);
    }
    if (in == 0 && out == 0) {
      return Usage.NONE;
    }
    return new Usage(in, 0, 0, 0, out, 0, UsageSource.ESTIMATED, false, null);
  }

  /** The usage a non-streamed answer reports, read in the shape of the route's API. */
  private Usage usageOf(JsonNode root) {
    return switch (x.op) {
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
    if (x.body == null || x.body.size() == 0) {
      return null;
    }
    try (InputStream in = decoded(x.body.toByteArray())) {
      if (in == null) {
        x.observeError = "response body in content-encoding " + x.contentEncoding + " was not read";
        return null;
      }
      return RequestInfo.JSON.readTree(in);
    } catch (IOException | RuntimeException e) {
      x.observeError = "response body is not JSON";
      return null;
    }
  }

  private InputStream decoded(byte[] b) throws IOException {
    if (x.contentEncoding == null || x.contentEncoding.equalsIgnoreCase("identity")) {
      return new ByteArrayInputStream(b);
    }
    if (x.contentEncoding.equalsIgnoreCase("gzip") || x.contentEncoding.equalsIgnoreCase("x-gzip")) {
      return new GZIPInputStream(new ByteArrayInputStream(b));
    }
    if (x.contentEncoding.equalsIgnoreCase("deflate")) {
      return new InflaterInputStream(new ByteArrayInputStream(b));
    }
    return null;
  }

  private List<String> finishReasons(JsonNode root) {
    List<String> out = new ArrayList<>(1);
    if (x.op.isOllama() || x.op == Operation.CONVERSE) {
      String reason = root.path(x.op == Operation.CONVERSE ? "stopReason" : "done_reason").asText(null);
      if (reason != null) {
        out.add(reason);
      }
      return out;
    }
    if (x.op == Operation.MESSAGES || (x.op == Operation.INVOKE && root.has("stop_reason"))) {
      String stop = root.path("stop_reason").asText(null);
      if (stop != null) {
        out.add(stop);
      }
      return out;
    }
    if (x.op == Operation.RESPONSES) {
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
    return x.sentEpochNanos + (nanos - x.sentNanos);
  }

  private static void putIfNotNull(Map<String, Object> m, String k, Object v) {
    if (v != null) {
      m.put(k, v);
    }
  }
}
