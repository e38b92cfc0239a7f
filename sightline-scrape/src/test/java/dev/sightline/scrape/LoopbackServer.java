package dev.sightline.scrape;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** A real HTTP server on 127.0.0.1 for scrape tests; each path answers with a handler the test sets. */
final class LoopbackServer implements AutoCloseable {

  interface Handler {
    void handle(HttpExchange exchange) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  private LoopbackServer(HttpServer server) {
    this.server = server;
    server.setExecutor(threads);
    server.start();
  }

  static LoopbackServer start() throws IOException {
    return new LoopbackServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  /** Binds the given port again, retrying for a few seconds while the old socket lets go. */
  static LoopbackServer startOn(int port) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try {
        return new LoopbackServer(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
      } catch (BindException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50);
      }
    }
  }

  LoopbackServer on(String path, Handler handler) {
    server.createContext(path, exchange -> {
      try {
        handler.handle(exchange);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (IOException e) {
        // the client went away (cancelled a large page, timed out): nothing to answer
      } finally {
        exchange.close();
      }
    });
    return this;
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI url(String path) {
    return URI.create("http://127.0.0.1:" + port() + path);
  }

  static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    if (contentType != null) {
      exchange.getResponseHeaders().set("Content-Type", contentType);
    }
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
