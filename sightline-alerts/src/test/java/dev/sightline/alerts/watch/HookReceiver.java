package dev.sightline.alerts.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A local webhook receiver on 127.0.0.1 that keeps the JSON bodies it is sent and answers 200. */
final class HookReceiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final LinkedBlockingQueue<JsonNode> bodies = new LinkedBlockingQueue<>();

  HookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/hook", exchange -> {
      bodies.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
  }

  /** The next body, waiting up to five seconds; fails the test when none comes. */
  JsonNode next() throws InterruptedException {
    JsonNode b = bodies.poll(5, TimeUnit.SECONDS);
    if (b == null) {
      throw new AssertionError("the receiver got no request within 5 s");
    }
    return b;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
