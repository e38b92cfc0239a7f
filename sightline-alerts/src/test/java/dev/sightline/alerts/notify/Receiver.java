package dev.sightline.alerts.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** A local webhook receiver on 127.0.0.1 that records what it is sent and answers as told. */
final class Receiver implements AutoCloseable {

  record Request(JsonNode body, Map<String, List<String>> headers, long receivedNanos) {
  }

  /** How to answer the n-th request (1-based): a status and optional Retry-After; null means never answer. */
  record Reply(int status, String retryAfter) {
    static Reply ok() {
      return new Reply(200, null);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
  private final AtomicInteger count = new AtomicInteger();
  private final CountDownLatch release = new CountDownLatch(1);

  Receiver() throws IOException {
    this(n -> Reply.ok());
  }

  Receiver(IntFunction<Reply> replies) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/hook", exchange -> handle(exchange, replies));
    server.start();
  }

  private void handle(HttpExchange exchange, IntFunction<Reply> replies) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    // counted before it is handed to the test, so that a test that has taken a request sees it counted
    int n = count.incrementAndGet();
    requests.add(new Request(JSON.readTree(body), Map.copyOf(exchange.getRequestHeaders()), System.nanoTime()));
    Reply reply = replies.apply(n);
    if (reply == null) {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
      return;
    }
    if (reply.retryAfter() != null) {
      exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
    }
    exchange.sendResponseHeaders(reply.status(), -1);
    exchange.close();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  WebhookTarget target(String name, WebhookTarget.Format format) {
    return WebhookTarget.of(name, url(), format, Map.of("Authorization", "Bearer s3cret")).target();
  }

  /** The next request, waiting up to five seconds; fails the test when none comes. */
  Request next() throws InterruptedException {
    Request r = requests.poll(5, TimeUnit.SECONDS);
    if (r == null) {
      throw new AssertionError("the receiver got no request within 5 s");
    }
    return r;
  }

  int count() {
    return count.get();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
