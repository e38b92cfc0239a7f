package dev.sightline.receivers;

import com.linecorp.armeria.common.AggregatedHttpRequest;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.server.ServiceErrorHandler;
import com.linecorp.armeria.common.ContentTooLargeException;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.HttpStatusException;
import com.linecorp.armeria.server.RequestTimeoutException;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.sightline.pipeline.IngestMemory;
import dev.sightline.pipeline.PipelineSaturatedException;
import dev.sightline.pipeline.IngestAuth;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * OTLP/HTTP for one signal ({@code POST /v1/traces}, {@code /v1/logs}, {@code /v1/metrics}):
 * protobuf or JSON bodies, optionally gzip-compressed, answered in the request's encoding once
 * the records are committed.
 */
final class OtlpHttpService implements HttpService {
  static final String RECEIVER = "otlp-http";
  /** Bodies above this are decoded off the event loop, so one big request does not stall others. */
  private static final int INLINE_DECODE_BYTES = 1 << 20;
  static final String MEMORY_SPENT = "the ingest memory budget is spent by requests in flight";

  private final Signal signal;
  private final OtlpDecoder decoder;
  private final IngestGate gate;
  private final long maxBytes;
  private final IngestAuth auth;

  OtlpHttpService(Signal signal, OtlpDecoder decoder, IngestGate gate, ReceiverLimits limits, IngestAuth auth) {
    this.signal = signal;
    this.decoder = decoder;
    this.gate = gate;
    this.maxBytes = limits.maxRequestBytes();
    this.auth = auth;
  }

  @Override
  public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
    MediaType type = req.contentType();
    Boolean json = encodingOf(type);
    IngestAuth.Decision decision = auth.check(name -> req.headers().get(name));
    if (!decision.allowed()) {
      // the body is never read: a sender without a key costs no decoding
      return ExportResponses.error(HttpStatus.UNAUTHORIZED, "unauthorized", decision.error(),
          !Boolean.FALSE.equals(json), 0);
    }
    String project = decision.project();
    if (json == null) {
      return ExportResponses.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
          "Content-Type must be application/x-protobuf or application/json (got "
              + (type == null ? "none" : type.toString()) + ")", true, 0);
    }
    String contentEncoding = req.headers().get(HttpHeaderNames.CONTENT_ENCODING);
    boolean gzip;
    if (contentEncoding == null || contentEncoding.isBlank()
        || contentEncoding.trim().equalsIgnoreCase("identity")) {
      gzip = false;
    } else if (contentEncoding.trim().equalsIgnoreCase("gzip") || contentEncoding.trim().equalsIgnoreCase("x-gzip")) {
      gzip = true;
    } else {
      return ExportResponses.error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_content_encoding",
          "Content-Encoding " + contentEncoding + " is not supported; send gzip or uncompressed bodies", json, 0);
    }
    long declared = req.headers().contentLength();
    if (declared > maxBytes) {
      return tooLarge(json, declared + " bytes declared in Content-Length");
    }
    // Memory and disk are asked before a byte of the body is read: the declared length is reserved
    // now, and the reservation grows as the body arrives (chunked bodies declare nothing); it is
    // held until the answer is sent, i.e. until the records are committed.
    IngestGate.Admission admission = gate.admit(declared);
    if (!admission.admitted()) {
      return refusal(admission.refusal(), json);
    }
    IngestMemory.Reservation reservation = admission.reservation();
    ctx.log().whenComplete().thenRun(reservation::release);
    long[] received = {0};
    HttpRequest counted = req.peekData(d -> {
      received[0] += d.length();
      if (!reservation.ensure(received[0])) {
        throw new PipelineSaturatedException(MEMORY_SPENT, IngestMemory.RETRY_AFTER_SECONDS);
      }
    });
    CompletableFuture<HttpResponse> answer = counted.aggregate().handle((agg, err) -> {
      if (err != null) {
        return CompletableFuture.completedFuture(failedRead(err, json));
      }
      return handle(ctx, agg, json, gzip, reservation, project);
    }).thenCompose(f -> f);
    return HttpResponse.of(answer);
  }

  private CompletableFuture<HttpResponse> handle(ServiceRequestContext ctx, AggregatedHttpRequest agg,
      boolean json, boolean gzip, IngestMemory.Reservation reservation, String project) {
    byte[] wire = agg.content().array();
    gate.countRequest(RECEIVER, wire.length);
    if (wire.length > maxBytes) {
      return CompletableFuture.completedFuture(tooLarge(json, wire.length + " bytes received"));
    }
    if (!gzip && wire.length <= INLINE_DECODE_BYTES) {
      return decodeAndSubmit(wire, json, false, reservation, project);
    }
    return CompletableFuture.supplyAsync(() -> decodeAndSubmit(wire, json, gzip, reservation, project),
        ctx.blockingTaskExecutor()).thenCompose(f -> f);
  }

  private CompletableFuture<HttpResponse> decodeAndSubmit(byte[] wire, boolean json, boolean gzip,
      IngestMemory.Reservation reservation, String project) {
    Decoded decoded;
    try {
      byte[] body = wire;
      if (gzip) {
        body = gunzip(wire);
        if (!reservation.ensure((long) wire.length + body.length)) {
          return CompletableFuture.completedFuture(refusal(
              new IngestGate.Outcome.Saturated(IngestMemory.RETRY_AFTER_SECONDS, saturatedMessage(MEMORY_SPENT)), json));
        }
      }
      decoded = json ? decoder.decodeJson(signal, body, RECEIVER) : decoder.decodeProtobuf(signal, body, RECEIVER);
    } catch (TooLarge e) {
      return CompletableFuture.completedFuture(tooLarge(json, e.getMessage()));
    } catch (MalformedRequestException e) {
      return CompletableFuture.completedFuture(
          ExportResponses.error(HttpStatus.BAD_REQUEST, "bad_request", e.getMessage(), json, 0));
    }
    return gate.submit(decoded, project).thenApply(outcome -> outcome instanceof IngestGate.Outcome.Committed
        ? ExportResponses.success(decoded, json)
        : refusal(outcome, json));
  }

  /** 429 + Retry-After when Sightline is saturated, 503 + Retry-After when it cannot commit. */
  private static HttpResponse refusal(IngestGate.Outcome outcome, boolean json) {
    return switch (outcome) {
      case IngestGate.Outcome.Saturated s -> ExportResponses.error(HttpStatus.TOO_MANY_REQUESTS, "saturated",
          s.message(), json, s.retryAfterSeconds());
      case IngestGate.Outcome.Failed f -> ExportResponses.error(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
          f.message(), json, f.retryAfterSeconds());
      case IngestGate.Outcome.Committed c -> throw new IllegalArgumentException("not a refusal");
    };
  }

  private static String saturatedMessage(String detail) {
    return "Sightline is saturated; retry after " + IngestMemory.RETRY_AFTER_SECONDS + " s (" + detail + ")";
  }

  /** Decompresses, stopping as soon as the output passes the limit (a gzip bomb costs nothing). */
  private byte[] gunzip(byte[] wire) throws TooLarge, MalformedRequestException {
    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(wire), 8192)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min((int) maxBytes, Math.max(8192, wire.length * 4)));
      byte[] buf = new byte[16384];
      long total = 0;
      for (int n; (n = in.read(buf)) > 0; ) {
        total += n;
        if (total > maxBytes) {
          throw new TooLarge("more than " + maxBytes + " bytes after gzip decompression ("
              + wire.length + " compressed)");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (ZipException | java.io.EOFException e) {
      throw new MalformedRequestException("Content-Encoding is gzip but the body is not valid gzip data ("
          + e.getMessage() + ")");
    } catch (IOException e) {
      throw new MalformedRequestException("could not decompress the gzip body (" + e.getMessage() + ")");
    }
  }

  private HttpResponse failedRead(Throwable err, boolean json) {
    Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (cause instanceof ContentTooLargeException) {
      return tooLarge(json, "the body grew past the limit while it was read");
    }
    if (cause instanceof PipelineSaturatedException) {
      return refusal(new IngestGate.Outcome.Saturated(IngestMemory.RETRY_AFTER_SECONDS,
          saturatedMessage(MEMORY_SPENT)), json);
    }
    return ExportResponses.error(HttpStatus.BAD_REQUEST, "bad_request",
        "the request body could not be read (" + cause.getClass().getSimpleName() + ")", json, 0);
  }

  private HttpResponse tooLarge(boolean json, String detail) {
    return tooLargeBody(json, detail).toHttpResponse();
  }

  private AggregatedHttpResponse tooLargeBody(boolean json, String detail) {
    return ExportResponses.errorBody(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
        "the request body is larger than the limit of " + maxBytes + " bytes (" + detail
            + "); send smaller batches (e.g. lower the exporter's max batch size) or raise Sightline's"
            + " receiver request limit", json, 0);
  }

  /**
   * Armeria refuses an over-long body itself (before {@link #serve} sees it, when Content-Length
   * is over the route's limit); this gives that refusal the receiver's own 413 body.
   */
  ServiceErrorHandler errorHandler() {
    return new ServiceErrorHandler() {
      @Override
      public HttpResponse onServiceException(ServiceRequestContext ctx, Throwable cause) {
        boolean json = isJson(ctx.request().headers().contentType());
        if (cause instanceof ContentTooLargeException) {
          return tooLarge(json, "the body passed the limit while it was read");
        }
        if (cause instanceof RequestTimeoutException) {
          return ExportResponses.error(HttpStatus.SERVICE_UNAVAILABLE, "unavailable",
              "the records were not committed in time; retry after "
                  + IngestGate.RETRY_AFTER_FAILED_COMMIT_SECONDS + " s", json,
              IngestGate.RETRY_AFTER_FAILED_COMMIT_SECONDS);
        }
        if (cause instanceof HttpStatusException e) {
          long declared = ctx.request().headers().contentLength();
          return e.httpStatus().code() == HttpStatus.REQUEST_ENTITY_TOO_LARGE.code()
              ? tooLarge(json, declared > 0 ? declared + " bytes declared in Content-Length"
                  : "the body passed the limit while it was read")
              : ExportResponses.error(e.httpStatus(), "http_" + e.httpStatus().code(),
                  e.httpStatus().reasonPhrase(), json, 0);
        }
        return null;
      }

      @Override
      public AggregatedHttpResponse renderStatus(ServiceRequestContext ctx, RequestHeaders headers, HttpStatus status,
          String description, Throwable cause) {
        if (status.code() != HttpStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
          return null;
        }
        long declared = headers.contentLength();
        return tooLargeBody(isJson(headers.contentType()),
            declared > 0 ? declared + " bytes declared in Content-Length" : "the body passed the limit while it was read");
      }
    };
  }

  private static boolean isJson(MediaType type) {
    return !Boolean.FALSE.equals(encodingOf(type));
  }

  /** TRUE for JSON, FALSE for protobuf, null for anything else. */
  static Boolean encodingOf(MediaType type) {
    if (type == null || !type.type().equals("application")) {
      return null;
    }
    String sub = type.subtype().toLowerCase(Locale.ROOT);
    return switch (sub) {
      case "json" -> Boolean.TRUE;
      case "x-protobuf", "protobuf", "vnd.google.protobuf" -> Boolean.FALSE;
      default -> null;
    };
  }

  /** The body passed the size limit. */
  private static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }
}
