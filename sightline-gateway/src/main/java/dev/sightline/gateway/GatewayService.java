package dev.sightline.gateway;

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
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.RequestHeadersBuilder;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import java.io.IOException;

/**
 * The proxy for one route. Requests to the four recorded OpenAI operations are read whole (they
 * are small, and the model and stream flags are needed before sending); everything else streams
 * through untouched and unrecorded.
 */
final class GatewayService implements HttpService {
  private final Route route;
  private final CaptureMode capture;
  private final TelemetryOut telemetry;

  GatewayService(Route route, CaptureMode capture, TelemetryOut telemetry) {
    this.route = route;
    this.capture = capture;
    this.telemetry = telemetry;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    String path = ctx.mappedPath();
    Operation op = capture != CaptureMode.OFF && req.method() == HttpMethod.POST ? route.operation(path) : null;
    if (op == null) {
      long received = System.nanoTime();
      RequestHeaders headers = upstreamHeaders(req.headers(), ctx, null, false);
      Exchange x = new Exchange(route, null, RequestInfo.UNREADABLE, null, false, false, received);
      return send(ctx, req.withHeaders(headers), x);
    }
    return HttpResponse.of(req.aggregate().thenApply(agg -> recorded(ctx, agg, op)));
  }

  private HttpResponse recorded(ServiceRequestContext ctx, AggregatedHttpRequest agg, Operation op) {
    long received = System.nanoTime();
    byte[] body = agg.content().array();
    telemetry.request(body.length);
    RequestInfo info = RequestInfo.parse(body, capture == CaptureMode.ON);
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
    RequestHeaders headers = upstreamHeaders(agg.headers(), ctx, attribution, info.stream());
    Exchange x = new Exchange(route, op, info, attribution, inject, capture == CaptureMode.ON, received);
    return send(ctx, HttpRequest.of(headers, HttpData.wrap(sent)), x);
  }

  private HttpResponse send(ServiceRequestContext ctx, HttpRequest upstreamRequest, Exchange x) {
    HttpResponseWriter out = HttpResponse.streaming();
    HttpResponse upstream;
    ClientRequestContext cctx;
    x.sent(System.nanoTime());
    try (ClientRequestContextCaptor captor = Clients.newContextCaptor()) {
      upstream = route.client().execute(upstreamRequest);
      cctx = captor.getOrNull();
    }
    upstream.subscribe(new Relay(ctx, out, x, cctx, telemetry), ctx.eventLoop());
    return out;
  }

  /**
   * The client's headers as the upstream gets them: without hop-by-hop headers, the gateway's own
   * {@code x-sightline-*} headers and the client's Host; the upstream path under the route; the
   * trace continued through the gateway's span; and, for streams, no compression (an encoded SSE
   * stream cannot be timed token by token).
   */
  private RequestHeaders upstreamHeaders(RequestHeaders in, ServiceRequestContext ctx, Attribution attribution,
      boolean stream) {
    String query = ctx.query();
    String path = route.basePath() + ctx.mappedPath() + (query == null ? "" : "?" + query);
    RequestHeadersBuilder b = RequestHeaders.builder(in.method(), path);
    in.forEach((name, value) -> {
      if (Relay.HopByHop.isHopByHop(name) || name.contentEqualsIgnoreCase(HttpHeaderNames.HOST)
          || name.contentEqualsIgnoreCase(HttpHeaderNames.CONTENT_LENGTH)
          || Attribution.isSightlineHeader(name)
          || (stream && name.contentEqualsIgnoreCase(HttpHeaderNames.ACCEPT_ENCODING))) {
        return;
      }
      b.add(name, value);
    });
    if (attribution != null && attribution.parentSpanId() != null) {
      b.set("traceparent", attribution.childTraceparent());
    }
    return b.build();
  }
}
