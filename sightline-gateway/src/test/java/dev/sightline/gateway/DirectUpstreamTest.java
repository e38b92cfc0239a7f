package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpObject;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The direct upstream client ({@link UpstreamClient}) against a raw-socket upstream whose bytes and
 * connections the test controls: byte identity across odd chunk splits, keep-alive reuse, an
 * upstream that drops the connection mid-stream, the relay's demand as back-pressure, and a
 * cancelled call closing its connection.
 */
class DirectUpstreamTest {
  private static final String SSE = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m-1\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"finish_reason\":null}]}\n\n"
      + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m-1\","
      + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\" world\"},\"finish_reason\":\"stop\"}]}\r\n\r\n"
      + "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"model\":\"m-1\",\"choices\":[],"
      + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5}}\n\n"
      + "data: [DONE]\n\n";
  private static final String REQUEST = "{\"model\":\"m\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  private ScriptedUpstream upstream;

  @BeforeEach
  void start() throws IOException {
    upstream = new ScriptedUpstream();
  }

  @AfterEach
  void stop() throws IOException {
    upstream.close();
  }

  private GatewayHarness gateway() {
    return new GatewayHarness(new GatewayConfig(URI.create("http://127.0.0.1:" + upstream.port()), Map.of(),
        Duration.ofSeconds(2), Duration.ofSeconds(10), CaptureMode.METADATA));
  }

  @Test
  void aStreamCutAtOddPlacesIsRelayedByteForByteAndItsConnectionIsReused() {
    // pieces cut inside an event, inside a CRLF and between the events
    upstream.script = List.of(SSE.substring(0, 17), SSE.substring(17, 150), SSE.substring(150, SSE.indexOf("\r\n") + 1),
        SSE.substring(SSE.indexOf("\r\n") + 1));
    try (GatewayHarness gateway = gateway()) {
      for (int i = 0; i < 2; i++) {
        java.net.http.HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", REQUEST);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(SSE);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/event-stream");
      }
      assertThat(upstream.bodies).containsExactly(REQUEST, REQUEST);
      assertThat(upstream.hosts).containsOnly("127.0.0.1:" + upstream.port());
      assertThat(upstream.accepted.get()).as("the second call reused the first one's connection").isEqualTo(1);
      List<dev.sightline.model.Span> spans = gateway.ingest.await(2);
      for (dev.sightline.model.Span s : spans) {
        LlmCall call = s.llm();
        assertThat(call.outcome().status()).isEqualTo(CallStatus.OK);
        assertThat(call.responseModel()).isEqualTo("m-1");
        assertThat(call.usage().outputTokens()).isEqualTo(2);
        assertThat(call.timing().ttftNanos()).isNotNull();
      }
    }
  }

  @Test
  void anUpstreamThatDropsTheConnectionMidStreamFailsTheResponseAndTheNextCallGetsAFreshConnection() {
    upstream.script = List.of(SSE.substring(0, 200));
    upstream.closeAfterScript = true;
    try (GatewayHarness gateway = gateway()) {
      assertThatThrownBy(() -> gateway.post(gateway.openaiBase() + "/chat/completions", REQUEST))
          .isInstanceOf(UncheckedIOException.class);
      LlmCall failed = gateway.ingest.single().llm();
      assertThat(failed.outcome().status()).isEqualTo(CallStatus.ERROR);
      assertThat(failed.outcome().errorType()).isEqualTo("upstream_stream_error");

      upstream.script = List.of(SSE);
      upstream.closeAfterScript = false;
      java.net.http.HttpResponse<byte[]> r = gateway.post(gateway.openaiBase() + "/chat/completions", REQUEST);
      assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(SSE);
      assertThat(upstream.accepted.get()).isEqualTo(2);
    }
  }

  @Test
  void theResponseIsReadOnlyAsFastAsTheRelayAsksAndArrivesWhole() throws Exception {
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      big.append("data: {\"choices\":[{\"delta\":{\"content\":\"token ").append(i).append("\"}}]}\n\n");
    }
    // many small writes, so that the client sees many reads' worth of data queued on its socket
    upstream.script = big.chars().mapToObj(c -> String.valueOf((char) c)).reduce(new java.util.ArrayList<String>(),
        (l, c) -> {
          if (l.isEmpty() || l.get(l.size() - 1).length() >= 40) {
            l.add(c);
          } else {
            l.set(l.size() - 1, l.get(l.size() - 1) + c);
          }
          return l;
        }, (a, b) -> a);
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      UpstreamClient client = new UpstreamClient(Duration.ofSeconds(2));
      Route route = new Route("openai", "openai", URI.create("http://127.0.0.1:" + upstream.port()), null,
          Duration.ofSeconds(10), Route.Api.OPENAI, CaptureMode.METADATA, null);
      Exchange x = new Exchange(route, null, RequestInfo.UNREADABLE, null, false, false, System.nanoTime());
      io.netty.channel.EventLoop loop = loops.next();
      SlowReader reader = new SlowReader(loop);
      client.call(loop, route, RequestHeaders.of(HttpMethod.POST, "/v1/chat/completions"),
          REQUEST.getBytes(StandardCharsets.UTF_8), x, reader);
      upstream.scriptWritten.get(10, TimeUnit.SECONDS);
      // one object at a time, the next asked for only after the previous one arrived
      while (true) {
        Object o = reader.objects.poll(10, TimeUnit.SECONDS);
        assertThat(o).as("an object arrives for each one asked for").isNotNull();
        if (o == SlowReader.END) {
          break;
        }
        reader.subscription.request(1);
      }
      assertThat(reader.overrun.get()).as("objects delivered beyond the demand").isZero();
      assertThat(reader.body.toString(StandardCharsets.UTF_8)).isEqualTo(big.toString());
      assertThat(x.upstreamConnectNanos).isNotNegative();
      client.close();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aCancelledCallClosesItsUpstreamConnection() throws Exception {
    upstream.script = List.of(SSE.substring(0, 100));
    upstream.holdOpen = true;
    EventLoopGroup loops = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      UpstreamClient client = new UpstreamClient(Duration.ofSeconds(2));
      Route route = new Route("openai", "openai", URI.create("http://127.0.0.1:" + upstream.port()), null,
          Duration.ofSeconds(10), Route.Api.OPENAI, CaptureMode.METADATA, null);
      Exchange x = new Exchange(route, null, RequestInfo.UNREADABLE, null, false, false, System.nanoTime());
      io.netty.channel.EventLoop loop = loops.next();
      SlowReader reader = new SlowReader(loop);
      client.call(loop, route, RequestHeaders.of(HttpMethod.POST, "/v1/chat/completions"),
          REQUEST.getBytes(StandardCharsets.UTF_8), x, reader);
      assertThat(reader.objects.poll(10, TimeUnit.SECONDS)).isInstanceOf(ResponseHeaders.class);
      reader.subscription.request(1);
      assertThat(reader.objects.poll(10, TimeUnit.SECONDS)).isInstanceOf(HttpData.class);
      reader.subscription.cancel();
      assertThat(upstream.peerClosed.get(10, TimeUnit.SECONDS)).as("the upstream saw its connection closed").isTrue();
      assertThat(reader.done.isDone()).as("a cancelled call signals nothing more").isFalse();
    } finally {
      loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void onlyUpstreamsThatNeedNoLookupGoDirect() {
    // the direct client connects on an event loop, where a DNS lookup would block every stream on it
    assertThat(UpstreamClient.reachableWithoutLookup(URI.create("http://127.0.0.1:8000"))).isTrue();
    assertThat(UpstreamClient.reachableWithoutLookup(URI.create("http://localhost:11434"))).isTrue();
    assertThat(UpstreamClient.reachableWithoutLookup(URI.create("http://[::1]:8000/v1"))).isTrue();
    assertThat(UpstreamClient.reachableWithoutLookup(URI.create("http://vllm.internal:8000"))).isFalse();
    assertThat(UpstreamClient.reachableWithoutLookup(URI.create("http://10.0.0.7.example:80"))).isFalse();
  }

  /** A relay stand-in that asks for one object at first and then only when the test says so. */
  private static final class SlowReader implements Subscriber<HttpObject> {
    static final Object END = new Object();
    private final io.netty.channel.EventLoop loop;
    final LinkedBlockingQueue<Object> objects = new LinkedBlockingQueue<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    final CompletableFuture<Boolean> done = new CompletableFuture<>();
    final AtomicLong overrun = new AtomicLong();
    private final AtomicLong demand = new AtomicLong();
    volatile Subscription subscription;

    /** @param loop where the client's subscription is called, as the relay calls it */
    SlowReader(io.netty.channel.EventLoop loop) {
      this.loop = loop;
    }

    @Override
    public void onSubscribe(Subscription s) {
      Subscription counting = new Subscription() {
        @Override
        public void request(long n) {
          demand.addAndGet(n);
          loop.execute(() -> s.request(n));
        }

        @Override
        public void cancel() {
          loop.execute(s::cancel);
        }
      };
      subscription = counting;
      counting.request(1);
    }

    @Override
    public void onNext(HttpObject o) {
      if (demand.decrementAndGet() < 0) {
        overrun.incrementAndGet();
      }
      if (o instanceof HttpData d) {
        body.writeBytes(d.array());
        d.close();
      }
      objects.add(o);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(true);
      objects.add(END);
    }
  }

  /**
   * An HTTP/1.1 upstream on a plain socket: answers each request with a chunked SSE response written
   * piece by piece from {@link #script}, keeps the connection for the next request unless told to
   * close it after the script or to hold it open without ending the response.
   */
  private static final class ScriptedUpstream implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0);
    final AtomicInteger accepted = new AtomicInteger();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<String> hosts = new CopyOnWriteArrayList<>();
    final CompletableFuture<Void> scriptWritten = new CompletableFuture<>();
    final CompletableFuture<Boolean> peerClosed = new CompletableFuture<>();
    volatile List<String> script = List.of();
    volatile boolean closeAfterScript;
    volatile boolean holdOpen;

    ScriptedUpstream() throws IOException {
      Thread t = new Thread(this::acceptLoop, "scripted-upstream");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void acceptLoop() {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          accepted.incrementAndGet();
          Thread t = new Thread(() -> serve(s), "scripted-upstream-connection");
          t.setDaemon(true);
          t.start();
        } catch (IOException e) {
          return;
        }
      }
    }

    private void serve(Socket s) {
      try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
        while (true) {
          String head = readHead(in);
          if (head == null) {
            return;
          }
          int length = 0;
          for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("content-length")) {
              length = Integer.parseInt(line.substring(colon + 1).trim());
            } else if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("host")) {
              hosts.add(line.substring(colon + 1).trim());
            }
          }
          bodies.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
          out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          for (String piece : script) {
            byte[] b = piece.getBytes(StandardCharsets.UTF_8);
            out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
          }
          scriptWritten.complete(null);
          if (holdOpen) {
            peerClosed.complete(in.read() == -1);
            return;
          }
          if (closeAfterScript) {
            return;
          }
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
      } catch (IOException e) {
        peerClosed.complete(true);
      }
    }

    /** The request line and headers, or null at the end of the connection. */
    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int c;
      while ((c = in.read()) != -1) {
        head.write(c);
        byte[] h = head.toByteArray();
        int n = h.length;
        if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
          return new String(h, StandardCharsets.US_ASCII);
        }
      }
      return null;
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
