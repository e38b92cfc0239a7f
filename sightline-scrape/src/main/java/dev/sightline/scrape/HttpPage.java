package dev.sightline.scrape;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One GET with a whole-request deadline and a cap on the body, for the scrapers. The JDK client's own
 * request timeout stops at the response headers, so the deadline is kept here and covers the body too.
 */
final class HttpPage {

  /** Pages larger than this are refused rather than read: a real engine page is well under 1 MiB. */
  static final int MAX_BYTES = 16 * 1024 * 1024;
  private static final int ERROR_SNIPPET_BYTES = 512;

  /** A fetch that did not give a usable page; the message is what health shows. */
  static final class Failure extends Exception {
    Failure(String message) {
      super(message, null, false, false);
    }
  }

  record Page(String contentType, byte[] body) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private HttpPage() {}

  static Page get(HttpClient client, URI url, String accept, Duration timeout) throws Failure, InterruptedException {
    HttpRequest request;
    try {
      request = HttpRequest.newBuilder(url).GET().header("Accept", accept).timeout(timeout).build();
    } catch (IllegalArgumentException e) {
      throw new Failure("cannot request " + url + ": " + e.getMessage());
    }
    CompletableFuture<HttpResponse<byte[]>> pending = client.sendAsync(request, info -> {
      boolean ok = info.statusCode() >= 200 && info.statusCode() < 300;
      long declared = info.headers().firstValueAsLong("content-length").orElse(-1);
      if (ok && declared > MAX_BYTES) {
        return new CappedBody(0, true); // refuse before reading a byte
      }
      // an error page is read only far enough to quote its start
      return ok ? new CappedBody(MAX_BYTES, true) : new CappedBody(ERROR_SNIPPET_BYTES, false);
    });
    HttpResponse<byte[]> response;
    try {
      response = pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new Failure("no complete answer within " + timeout.toMillis() + " ms (timeout)");
    } catch (InterruptedException e) {
      pending.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw new Failure(describe(e.getCause(), url, timeout));
    }
    int status = response.statusCode();
    if (status < 200 || status >= 300) {
      String start = new String(response.body(), StandardCharsets.UTF_8).strip();
      int nl = start.indexOf('\n');
      start = nl >= 0 ? start.substring(0, nl).strip() : start;
      start = start.length() > 120 ? start.substring(0, 120) + "…" : start;
      throw new Failure("HTTP " + status + " from " + url + (start.isEmpty() ? "" : ": " + start));
    }
    return new Page(response.headers().firstValue("content-type").orElse(""), response.body());
  }

  private static String describe(Throwable cause, URI url, Duration timeout) {
    String where = url.getHost() + (url.getPort() >= 0 ? ":" + url.getPort() : "");
    // the client wraps the real cause once or twice
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof TooLarge) {
        return t.getMessage();
      }
      if (t instanceof HttpConnectTimeoutException) {
        return "could not connect to " + where + " within " + timeout.toMillis() + " ms (timeout)";
      }
      if (t instanceof HttpTimeoutException) {
        return "no answer within " + timeout.toMillis() + " ms (timeout)";
      }
      if (t instanceof ConnectException) {
        return "could not connect to " + where + " (connection refused; is it running?)";
      }
      if (t instanceof UnresolvedAddressException) {
        return "unknown host " + url.getHost();
      }
    }
    String message = cause == null ? null : cause.getMessage();
    String type = cause == null ? "error" : cause.getClass().getSimpleName();
    return "request to " + where + " failed: " + type + (message == null ? "" : " (" + message + ")");
  }

  private static final class TooLarge extends IOException {
    TooLarge() {
      super("page larger than 16 MiB", null);
    }
  }

  /** Keeps at most {@code limit} bytes; past it, cancels the stream and fails (or keeps what it has). */
  private static final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int limit;
    private final boolean failWhenOver;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private byte[] bytes = new byte[0];
    private int size;

    CappedBody(int limit, boolean failWhenOver) {
      this.limit = limit;
      this.failWhenOver = failWhenOver;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      if (limit == 0 && failWhenOver) {
        s.cancel();
        result.completeExceptionally(new TooLarge());
        return;
      }
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      if (result.isDone()) {
        return;
      }
      for (ByteBuffer b : buffers) {
        int n = b.remaining();
        if ((long) size + n > limit) {
          subscription.cancel();
          if (failWhenOver) {
            result.completeExceptionally(new TooLarge());
          } else {
            append(b, limit - size);
            result.complete(Arrays.copyOf(bytes, size));
          }
          return;
        }
        append(b, n);
      }
    }

    private void append(ByteBuffer b, int n) {
      if (size + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.min(limit, Math.max(size + n, bytes.length * 2 + 8192)));
      }
      b.get(bytes, size, n);
      size += n;
    }

    @Override
    public void onError(Throwable t) {
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      result.complete(Arrays.copyOf(bytes, size));
    }
  }
}
