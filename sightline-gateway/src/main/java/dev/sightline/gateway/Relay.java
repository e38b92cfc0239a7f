package dev.sightline.gateway;

import com.linecorp.armeria.client.ClientRequestContext;
import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.client.UnprocessedRequestException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.HttpResponseWriter;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.logging.RequestLogProperty;
import com.linecorp.armeria.common.stream.ClosedStreamException;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.util.AsciiString;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * Relays one upstream response to the client object by object as it arrives, with the client's
 * demand as back-pressure (one object in flight), while the {@link Exchange} watches the bytes
 * go by. Turns failures before the first byte into 502 / 504 JSON errors, propagates a client's
 * disconnect to the upstream, and submits the call's record exactly once when it ends.
 */
final class Relay implements Subscriber<HttpObject> {
  static final String OVERHEAD_HEADER = "x-sightline-overhead-ms";

  private final ServiceRequestContext sctx;
  private final HttpResponseWriter out;
  private final Exchange x;
  private final ClientRequestContext cctx;
  private final TelemetryOut telemetry;
  private Subscription upstream;
  private boolean headersSent;
  private boolean done;
  /** Asks the upstream for the next object once the client took the last one (one instance per call, not per chunk). */
  private final Runnable requestNext = () -> upstream.request(1);

  Relay(ServiceRequestContext sctx, HttpResponseWriter out, Exchange x, ClientRequestContext cctx,
      TelemetryOut telemetry) {
    this.sctx = sctx;
    this.out = out;
    this.x = x;
    this.cctx = cctx;
    this.telemetry = telemetry;
  }

  @Override
  public void onSubscribe(Subscription s) {
    upstream = s;
    out.whenComplete().handle((ok, err) -> {
      if (err != null) {
        sctx.eventLoop().execute(() -> clientGone(err));
      }
      return null;
    });
    s.request(1);
  }

  @Override
  public void onNext(HttpObject obj) {
    long t = System.nanoTime();
    if (done) {
      if (obj instanceof HttpData d) {
        d.close(); // a pooled buffer from the direct upstream client that nobody will write
      }
      return;
    }
    if (obj instanceof ResponseHeaders h) {
      if (h.status().isInformational()) {
        upstream.request(1);
        return;
      }
      if (cctx != null) {
        cctx.clearResponseTimeout();
      }
      x.onHeaders(h, t);
      ResponseHeaders forwarded = forwardedHeaders(h, t);
      headersSent = true;
      write(forwarded);
      x.overheadNanos += System.nanoTime() - t;
      return;
    }
    if (obj instanceof HttpData d) {
      HttpData toSend = x.onData(d, t);
      if (toSend != d) {
        d.close(); // filtered: what goes out is a new buffer, the upstream's (possibly pooled) one is done with
      }
      x.overheadNanos += System.nanoTime() - t;
      if (toSend.isEmpty() && !d.isEmpty()) {
        upstream.request(1);
      } else {
        write(toSend);
      }
      return;
    }
    if (obj instanceof HttpHeaders trailers) {
      write(trailers);
    }
  }

  @Override
  public void onError(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    x.endNanos = System.nanoTime();
    Throwable c = unwrap(cause);
    if (headersSent) {
      Exchange.End end = c instanceof ResponseTimeoutException ? Exchange.End.UPSTREAM_TIMEOUT
          : Exchange.End.UPSTREAM_FAILED;
      // handed to the recorder before the client can see the response end (see TelemetryOut.awaitSubmitted)
      record(end, c.toString());
      out.close(cause);
      return;
    }
    boolean timeout = c instanceof ResponseTimeoutException;
    HttpStatus status = timeout ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
    String code = timeout ? "upstream_timeout" : "upstream_unreachable";
    String message = timeout
        ? "the upstream " + x.route.label() + " sent no response within " + seconds(x.route.responseTimeout())
            + "; raise the gateway's response timeout or check the upstream"
        : "the upstream " + x.route.label() + " could not be reached (" + reason(c)
            + "); check that it is running and that the gateway route points to it";
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    out.tryWrite(ResponseHeaders.builder(status).contentType(MediaType.JSON_UTF_8).build());
    out.tryWrite(HttpData.ofUtf8(body.toString()));
    record(timeout ? Exchange.End.UPSTREAM_TIMEOUT : Exchange.End.UPSTREAM_UNREACHABLE, c.toString());
    out.close();
  }

  @Override
  public void onComplete() {
    if (done) {
      return;
    }
    done = true;
    x.endNanos = System.nanoTime();
    HttpData held = x.flush();
    if (held != null) {
      out.tryWrite(held);
    }
    record(Exchange.End.COMPLETED, null);
    out.close();
  }

  /** The client went away (or the response was aborted) before the upstream finished. */
  private void clientGone(Throwable cause) {
    if (done) {
      return;
    }
    done = true;
    x.endNanos = System.nanoTime();
    upstream.cancel();
    record(Exchange.End.CANCELLED, "client disconnected: " + unwrap(cause).getClass().getSimpleName());
  }

  private void write(HttpObject obj) {
    if (!out.tryWrite(obj)) {
      clientGone(ClosedStreamException.get());
      return;
    }
    out.whenConsumed().thenRun(requestNext);
  }

  private ResponseHeaders forwardedHeaders(ResponseHeaders h, long receivedAt) {
    ResponseHeadersBuilder b = ResponseHeaders.builder(h.status());
    h.forEach((name, value) -> {
      if (!HopByHop.isHopByHop(name) && !(x.filtering() && name.contentEqualsIgnoreCase("content-length"))) {
        b.add(name, value);
      }
    });
    long pre = x.overheadNanos + (System.nanoTime() - receivedAt);
    x.preFirstByteOverheadNanos = pre;
    b.set(OVERHEAD_HEADER, millis(pre));
    return b.build();
  }

  private void record(Exchange.End end, String failure) {
    if (!x.recorded()) {
      return;
    }
    if (cctx != null && cctx.log().isAvailable(RequestLogProperty.SESSION)) {
      x.connectTimings = cctx.log().partial().connectionTimings();
    }
    // The exchange is finished (nothing touches it any more), so the record is built off the
    // event loop: parsing a body or counting tokens with a tokenizer must not delay other streams.
    telemetry.record(x.project, () -> CallSpan.of(x, end, failure));
  }

  /**
   * {@code nanos} as milliseconds with three decimals, rounded half up: what {@code %.3f} writes,
   * without a Formatter per call.
   */
  static String millis(long nanos) {
    long micros = Math.round(Math.max(0, nanos) / 1e3);
    long frac = micros % 1000;
    return (micros / 1000) + (frac < 10 ? ".00" : frac < 100 ? ".0" : ".") + frac;
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof UnprocessedRequestException) && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static String reason(Throwable c) {
    if (c instanceof ConnectException && c.getMessage() != null) {
      return c.getMessage();
    }
    String m = c.getMessage();
    return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
  }

  private static String seconds(java.time.Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /** Names of headers that belong to one connection and are not forwarded (RFC 9110 §7.6.1). */
  static final class HopByHop {
    private HopByHop() {}

    private static final AsciiString[] NAMES = {
        AsciiString.cached("connection"), AsciiString.cached("keep-alive"), AsciiString.cached("proxy-connection"),
        AsciiString.cached("transfer-encoding"), AsciiString.cached("upgrade"), AsciiString.cached("te"),
        AsciiString.cached("trailer"), AsciiString.cached("proxy-authenticate"),
        AsciiString.cached("proxy-authorization"), AsciiString.cached("http2-settings")};

    static boolean isHopByHop(AsciiString name) {
      if (name.isEmpty() || name.byteAt(0) == ':') {
        return true;
      }
      // compared in place: every header of every call passes here, so no lower-cased copy per name
      for (AsciiString n : NAMES) {
        if (n.length() == name.length() && n.contentEqualsIgnoreCase(name)) {
          return true;
        }
      }
      return false;
    }
  }
}
