package dev.sightline.gateway;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.ClientRequestContextCaptor;
import com.linecorp.armeria.client.Clients;
import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * The proxy for one route. Requests to the recorded operations are read whole (they are small,
 * and the model and stream flags are needed before sending); everything else streams through
 * untouched and unrecorded. On the Bedrock route every request is read whole, because each one is
 * re-signed over its body.
 */
final class GatewayService implements HttpService {
  private final Route route;
  private final CaptureMode capture;
  private final TelemetryOut telemetry;
  private final CallAdmission admission;
  private final RefusalCounts refusals;
  private final AccessGate gate;
  /** The recorded calls' client for a plain-HTTP upstream, or null to send them through the route's Armeria client. */
  private final UpstreamClient direct;

  GatewayService(Route route, TelemetryOut telemetry, CallAdmission admission, RefusalCounts refusals,
      AccessGate gate, UpstreamClient direct) {
    this.route = route;
    this.direct = direct;
    this.capture = route.capture();
    this.telemetry = telemetry;
    this.admission = admission;
    this.refusals = refusals;
    this.gate = gate;
  }

  /** Null to relay, else the 429 a spent budget answers with (the upstream never sees the call). */
  private HttpResponse refused(Attribution a) {
    CallAdmission.Refusal r;
    try {
      r = admission.admit(a.service(), a.route(), a.userId());
    } catch (RuntimeException e) {
      return null; // a failing budget check must not take the gateway down with it: the call goes ahead
    }
    if (r == null) {
      return null;
    }
    refusals.refused(r.budget());
    return HttpResponse.of(ResponseHeaders.builder(r.status()).contentType(MediaType.JSON_UTF_8)
        .add(HttpHeaderNames.RETRY_AFTER, Long.toString(r.retryAfterSeconds())).build(), HttpData.ofUtf8(r.json()));
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    // before anything is read or relayed: a refused caller costs no body, no upstream call and no record
    GatewayAccess.Decision access = gate.decide(req.headers());
    if (!access.allowed()) {
      return gate.refusal(access, req.headers());
    }
    String path = ctx.mappedPath();
    Operation op = capture != CaptureMode.OFF && req.method() == HttpMethod.POST ? route.operation(path) : null;
    if (route.signer() != null) {
      return HttpResponse.of(req.aggregate().thenCompose(agg -> bedrock(ctx, agg, op, access)));
    }
    if (op == null) {
      long received = System.nanoTime();
      RequestHeaders headers = upstreamHeaders(req.headers(), ctx, null, false, access.upstreamKey());
      Exchange x = new Exchange(route, null, RequestInfo.UNREADABLE, null, false, false, received);
      return send(ctx, req.withHeaders(headers), x);
    }
    return HttpResponse.of(req.aggregate().thenApply(agg -> recorded(ctx, agg, op, access)));
  }

  private HttpResponse recorded(ServiceRequestContext ctx, AggregatedHttpRequest agg, Operation op,
      GatewayAccess.Decision access) {
    long received = System.nanoTime();
    byte[] body = agg.content().array();
    telemetry.request(body.length);
    RequestInfo info = RequestInfo.parse(body, capture.capturesContent());
    boolean inject = info.needsUsageInjection(op);
    byte[] sent = body;
    if (inject) {
      try {
        sent = RequestInfo.withIncludeUsage(body, info);
      } catch (IOException | RuntimeException e) {
        inject = false;
      }
    }
    Attribution attribution = Attribution.of(agg.headers());
    HttpResponse refusal = refused(attribution);
    if (refusal != null) {
      return refusal;
    }
    // Ollama streams unless the body says "stream": false
    boolean streams = info.stream() || op.isOllama();
    RequestHeaders headers = upstreamHeaders(agg.headers(), ctx, attribution, streams, access.upstreamKey());
    Exchange x = new Exchange(route, op, info, attribution, inject, capture.capturesContent(), received);
    x.requestBody = body;
    x.project = access.project();
    if (direct != null) {
      HttpResponseWriter out = HttpResponse.streaming();
      x.sent(System.nanoTime());
      direct.call(ctx.eventLoop().withoutContext(), route, headers, sent, x, new Relay(ctx, out, x, null, telemetry));
      return out;
    }
    return send(ctx, HttpRequest.of(headers, HttpData.wrap(sent)), x);
  }

  /**
   * A Bedrock request: recorded if {@code op} is not null, and always sent re-signed with the
   * gateway's credentials (the app's signature was made for the gateway's host).
   */
  private java.util.concurrent.CompletableFuture<HttpResponse> bedrock(ServiceRequestContext ctx,
      AggregatedHttpRequest agg, Operation op, GatewayAccess.Decision access) {
    long received = System.nanoTime();
    byte[] body = agg.content().array();
    RequestInfo info = RequestInfo.UNREADABLE;
    Attribution attribution = null;
    if (op != null) {
      telemetry.request(body.length);
      info = RequestInfo.parse(body, capture.capturesContent());
      attribution = Attribution.of(agg.headers());
      HttpResponse refusal = refused(attribution);
      if (refusal != null) {
        return java.util.concurrent.CompletableFuture.completedFuture(refusal);
      }
    }
    boolean streams = op == Operation.CONVERSE_STREAM || op == Operation.INVOKE_STREAM;
    RequestHeaders unsigned = upstreamHeaders(agg.headers(), ctx, attribution, streams, access.upstreamKey());
    Exchange x = new Exchange(route, op, info, attribution, false, capture.capturesContent(), received);
    x.project = access.project();
    if (op != null) {
      x.bedrockModel = decode(Operation.bedrockModel(ctx.mappedPath()));
      x.requestBody = body;
    }
    return route.signer().sign(unsigned, body, ctx.blockingTaskExecutor())
        .handleAsync((signed, err) -> err == null ? send(ctx, HttpRequest.of(signed, HttpData.wrap(body)), x)
            : unsigned(err), ctx.eventLoop());
  }

  /** The gateway could not sign (no credentials it can find): the request never left. */
  private HttpResponse unsigned(Throwable err) {
    Throwable c = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", "bedrock_signing_failed");
    error.put("message", "the gateway could not sign the request for " + route.label() + " ("
        + c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage())
        + "); give the gateway AWS credentials through the standard provider chain (AWS_ACCESS_KEY_ID and"
        + " AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or an instance or container role)");
    return HttpResponse.of(HttpStatus.BAD_GATEWAY, MediaType.JSON_UTF_8, body.toString());
  }

  private HttpResponse send(ServiceRequestContext ctx, HttpRequest upstreamRequest, Exchange x) {
    HttpResponseWriter out = HttpResponse.streaming();
    HttpResponse upstream;
    ClientRequestContext cctx;
    x.sent(System.nanoTime());
    // pushed so that the upstream call runs on this request's event loop (ServingLoopScheduler)
    try (SafeCloseable served = ctx.push(); ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
      upstream = route.client().execute(upstreamRequest);
      cctx = captor.getOrNull();
    }
    upstream.subscribe(new Relay(ctx, out, x, cctx, telemetry), ctx.eventLoop());
    return out;
  }

  /**
   * The client's headers as the upstream gets them: without hop-by-hop headers, the gateway's own
   * {@code x-sightline-*} headers (the Sightline key among them), the client's Host and (Bedrock)
   * the app's signature; with the caller's credential replaced by {@code upstreamKey} when the
   * access decision names one, and never one that carries a Sightline key; the upstream path
   * under the route; the trace continued through the gateway's span; and, for streams, no
   * compression (an encoded stream cannot be timed token by token).
   */
  private RequestHeaders upstreamHeaders(RequestHeaders in, ServiceRequestContext ctx, Attribution attribution,
      boolean stream, String upstreamKey) {
    String query = ctx.query();
    String path = route.basePath() + ctx.mappedPath() + (query == null ? "" : "?" + query);
    boolean resign = route.signer() != null;
    RequestHeadersBuilder b = RequestHeaders.builder(in.method(), path);
    in.forEach((name, value) -> {
      if (Relay.HopByHop.isHopByHop(name) || name.contentEqualsIgnoreCase(HttpHeaderNames.HOST)
          || name.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH)
          || Attribution.isSightlineHeader(name)
          || (resign && BedrockSigner.isAppSignatureHeader(name))
          || (stream && name.contentEqualsIgnoreCase(HttpHeaderNames.ACCEPT_ENCODING))
          || AccessGate.withheld(name, value, upstreamKey)) {
        return;
      }
      b.add(name, value);
    });
    gate.credential(b, upstreamKey);
    if (attribution != null && attribution.parentSpanId() != null) {
      b.set("traceparent", attribution.childTraceparent());
    }
    return b.build();
  }

  private static String decode(String s) {
    if (s == null) {
      return null;
    }
    try {
      return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
