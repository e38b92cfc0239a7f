package dev.sightline.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lean load harness written directly on Netty, for {@link GatewayBench}: the scripted streaming
 * upstream ({@link #upstream}) and the load-generating clients ({@link #client}) share one small
 * event loop group and do as little per chunk as HTTP/1.1 allows (decode, a few field writes, a
 * release), so that the harness's own CPU use distorts the proxies' latency as little as possible.
 * Uses the epoll transport where Netty's native library loads, NIO otherwise; the epoll classes are
 * on the runtime classpath only (through Armeria), so they are looked up by name.
 */
final class NettyLoad implements AutoCloseable {
  static final String PATH = "/v1/chat/completions";
  private static final AsciiString OVERHEAD = AsciiString.cached("x-sightline-overhead-ms");

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> serverChannel;
  private final Class<? extends Channel> socketChannel;
  private final String transport;
  /** Every channel opened here, server, accepted and client alike; closed ones leave it by themselves. */
  private final ChannelGroup channels = new DefaultChannelGroup("netty-load", GlobalEventExecutor.INSTANCE);

  /** One event loop group, {@code threads} threads, shared by the upstream server and all clients created from it. */
  NettyLoad(int threads) {
    IoHandlerFactory io = null;
    Class<? extends ServerChannel> server = NioServerSocketChannel.class;
    Class<? extends Channel> socket = NioSocketChannel.class;
    String name = "nio";
    try {
      ClassLoader cl = NettyLoad.class.getClassLoader();
      Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll", true, cl);
      if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) {
        io = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler", true, cl)
            .getMethod("newFactory").invoke(null);
        server = Class.forName("io.netty.channel.epoll.EpollServerSocketChannel", true, cl)
            .asSubclass(ServerChannel.class);
        socket = Class.forName("io.netty.channel.epoll.EpollSocketChannel", true, cl).asSubclass(Channel.class);
        name = "epoll";
      }
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      io = null;
    }
    if (io == null) {
      io = NioIoHandler.newFactory();
      server = NioServerSocketChannel.class;
      socket = NioSocketChannel.class;
      name = "nio";
    }
    this.serverChannel = server;
    this.socketChannel = socket;
    this.transport = name;
    this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("netty-load", true), io);
  }

  /** The transport in use: {@code epoll} or {@code nio}. */
  String transport() {
    return transport;
  }

  /** A scripted upstream; closed by {@link NettyLoad#close()}. */
  interface Upstream {
    int port();
  }

  /** A pooled keep-alive HTTP/1.1 client to one port on loopback. */
  interface Client {
    /** POSTs body (Content-Type: application/json) to path; completes when the response has ended (or failed). */
    CompletableFuture<Sample> call(String path, byte[] body);
  }

  /**
   * One call. {@code t0}: {@link System#nanoTime()} just before the request is written;
   * {@code firstByteNanos}: when the first non-empty body content arrived (-1 if none); {@code endNanos}: when
   * the last content arrived (or the call failed); {@code overheadHeader}: the response's
   * {@code x-sightline-overhead-ms} or null; {@code error}: why the call failed, or null.
   */
  record Sample(int status, long t0, long firstByteNanos, long endNanos, String overheadHeader, Throwable error) {}

  /**
   * Starts an HTTP/1.1 upstream on 127.0.0.1:0 that answers POST /v1/chat/completions like
   * {@code GatewayBench.script}: for a request whose body says {@code "stream":true}, headers at once,
   * token {@code n} at {@code firstMs + gapMs * n} ms after the request arrived, then (with the last
   * token) the usage chunk and {@code [DONE]}; for any other, one JSON chat completion of the same
   * tokens, whole, {@code firstMs} after the request arrived.
   */
  Upstream upstream(int firstMs, int gapMs, int tokens) {
    byte[][] chunks = new byte[tokens][];
    for (int n = 0; n < tokens; n++) {
      chunks[n] = tokenChunk(n).getBytes(StandardCharsets.UTF_8);
    }
    Script script = new Script(firstMs, gapMs, chunks, usageChunk(tokens).getBytes(StandardCharsets.UTF_8),
        completion(tokens).getBytes(StandardCharsets.UTF_8));
    Channel ch = new ServerBootstrap().group(group).channel(serverChannel)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel c) {
            channels.add(c);
            c.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), new Streamer(script));
          }
        })
        .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    channels.add(ch);
    int port = ((InetSocketAddress) ch.localAddress()).getPort();
    return () -> port;
  }

  /**
   * A client to 127.0.0.1:{@code port}: keep-alive connections, pooled; each call takes an idle one or
   * opens a new one, and has its connection to itself until the response ends.
   */
  Client client(int port) {
    return new Pool(port);
  }

  /** Closes every channel and shuts the event loops down, waiting a few seconds at most. */
  @Override
  public void close() {
    channels.close().awaitUninterruptibly(3, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 3, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }

  /** The SSE event for token {@code n}, as GatewayBench's script writes it. */
  static String tokenChunk(int n) {
    return "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench-model-1\","
        + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"tok" + n + " \"},\"finish_reason\":null}],"
        + "\"usage\":null}\n\n";
  }

  /** The closing usage event and {@code [DONE]}, as GatewayBench's script writes them. */
  static String usageChunk(int tokens) {
    return "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"bench-model-1\","
        + "\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + tokens
        + ",\"total_tokens\":" + (12 + tokens) + "}}\n\ndata: [DONE]\n\n";
  }

  /** The non-streamed answer with the same tokens and usage, as GatewayBench's script writes it. */
  static String completion(int tokens) {
    StringBuilder text = new StringBuilder();
    for (int n = 0; n < tokens; n++) {
      text.append("tok").append(n).append(' ');
    }
    return "{\"id\":\"b\",\"object\":\"chat.completion\",\"created\":1,\"model\":\"bench-model-1\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"},"
        + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + tokens
        + ",\"total_tokens\":" + (12 + tokens) + "}}";
  }

  /** The benchmark's request body, streamed or not. */
  static byte[] body(boolean stream) {
    return (stream ? GatewayBench.BODY : GatewayBench.BODY_WHOLE).getBytes(StandardCharsets.UTF_8);
  }

  /** An upstream's script, its chunks and its whole answer encoded once. */
  private record Script(int firstMs, int gapMs, byte[][] tokens, byte[] usage, byte[] whole) {}

  /** Whether a request is kept alive, whether it asked for the scripted path, and whether for a stream. */
  private record Pending(boolean keepAlive, boolean found, boolean stream) {}

  private static final byte[] STREAM_TRUE = "\"stream\":true".getBytes(StandardCharsets.US_ASCII);

  /**
   * One upstream connection: plays the script for its requests one at a time (a pipelined request waits
   * for the stream before it), each chunk written and flushed from a timer on the channel's event loop.
   */
  private static final class Streamer extends SimpleChannelInboundHandler<FullHttpRequest> implements Runnable {
    private final Script script;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>(2);
    private ChannelHandlerContext ctx;
    private boolean busy;
    private boolean keepAlive;
    private long start;
    private int next;
    /** The call in progress is answered whole, not streamed. */
    private boolean whole;
    private ScheduledFuture<?> timer;

    Streamer(Script script) {
      this.script = script;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      if (req.decoderResult().isFailure()) {
        FullHttpResponse bad = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST);
        bad.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0).set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        waiting.clear();
        ctx.writeAndFlush(bad).addListener(ChannelFutureListener.CLOSE);
        return;
      }
      String uri = req.uri();
      int q = uri.indexOf('?');
      boolean stream = ByteBufUtil.indexOf(Unpooled.wrappedBuffer(STREAM_TRUE), req.content()) >= 0;
      waiting.add(new Pending(HttpUtil.isKeepAlive(req), PATH.equals(q < 0 ? uri : uri.substring(0, q)), stream));
      serveNext();
    }

    private void serveNext() {
      Pending p;
      while (!busy && (p = waiting.poll()) != null) {
        keepAlive = p.keepAlive();
        if (!p.found()) {
          FullHttpResponse miss = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
          miss.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
          if (!keepAlive) {
            miss.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            waiting.clear();
            ctx.writeAndFlush(miss).addListener(ChannelFutureListener.CLOSE);
            return;
          }
          ctx.writeAndFlush(miss, ctx.voidPromise());
          continue;
        }
        busy = true;
        start = System.nanoTime();
        next = 0;
        whole = !p.stream();
        if (whole) {
          timer = ctx.executor().schedule(this, script.firstMs(), TimeUnit.MILLISECONDS);
          continue;
        }
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        HttpHeaders h = res.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_EVENT_STREAM)
            .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        if (!keepAlive) {
          h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.writeAndFlush(res, ctx.voidPromise());
        schedule();
      }
    }

    /** Arms the timer for chunk {@code next} (or, past the last token, the usage chunk) on the script's clock. */
    private void schedule() {
      int slot = Math.min(next, Math.max(0, script.tokens().length - 1));
      long due = start + TimeUnit.MILLISECONDS.toNanos(script.firstMs() + (long) script.gapMs() * slot);
      timer = ctx.executor().schedule(this, due - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void run() {
      timer = null;
      if (!busy || !ctx.channel().isActive()) {
        return;
      }
      if (whole) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
            Unpooled.wrappedBuffer(script.whole()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, script.whole().length);
        busy = false;
        if (keepAlive) {
          ctx.writeAndFlush(res, ctx.voidPromise());
          serveNext();
        } else {
          res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
          waiting.clear();
          ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
        }
        return;
      }
      byte[][] tokens = script.tokens();
      if (next < tokens.length) {
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(tokens[next++])), ctx.voidPromise());
        if (next < tokens.length) {
          schedule();
          return;
        }
      }
      ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(script.usage())), ctx.voidPromise());
      busy = false;
      if (keepAlive) {
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, ctx.voidPromise());
        serveNext();
      } else {
        waiting.clear();
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
      busy = false;
      waiting.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** One call in progress; its fields are written on the connection's event loop only. */
  private static final class Call {
    final CompletableFuture<Sample> future = new CompletableFuture<>();
    final String path;
    final byte[] body;
    final ByteArrayOutputStream sink;
    long t0 = System.nanoTime();
    int status;
    long first = -1;
    String overhead;
    boolean close;
    boolean interim;

    Call(String path, byte[] body, ByteArrayOutputStream sink) {
      this.path = path;
      this.body = body;
      this.sink = sink;
    }

    void fail(Throwable e) {
      future.complete(new Sample(status, t0, first, System.nanoTime(), overhead, e));
    }
  }

  /** The connections to one port: an idle deque (most recently used first) and a bootstrap for more. */
  private final class Pool implements Client {
    final AsciiString host;
    final ConcurrentLinkedDeque<Exchange> idle = new ConcurrentLinkedDeque<>();
    final AtomicInteger opened = new AtomicInteger();
    private final Bootstrap bootstrap;

    Pool(int port) {
      host = new AsciiString("127.0.0.1:" + port);
      bootstrap = new Bootstrap().group(group).channel(socketChannel)
          .option(ChannelOption.TCP_NODELAY, true)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
          .remoteAddress(new InetSocketAddress("127.0.0.1", port))
          .handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
              channels.add(ch);
              opened.incrementAndGet();
              ch.pipeline().addLast(new HttpClientCodec(), new Exchange(Pool.this, ch));
            }
          });
    }

    @Override
    public CompletableFuture<Sample> call(String path, byte[] body) {
      return call(path, body, null);
    }

    /** As {@link #call(String, byte[])}, every body byte also copied into {@code sink} (a test hook). */
    CompletableFuture<Sample> call(String path, byte[] body, ByteArrayOutputStream sink) {
      Call c = new Call(path, body, sink);
      dispatch(c);
      return c.future;
    }

    void dispatch(Call c) {
      Exchange x;
      while ((x = idle.pollFirst()) != null) {
        if (x.ch.isActive()) {
          x.send(c);
          return;
        }
      }
      try {
        bootstrap.connect().addListener((ChannelFutureListener) f -> {
          if (f.isSuccess()) {
            f.channel().pipeline().get(Exchange.class).begin(c);
          } else {
            c.fail(f.cause());
          }
        });
      } catch (RuntimeException e) {
        c.fail(e);
      }
    }
  }

  /** One pooled client connection: writes a call's request and reads its response on the channel's event loop. */
  private static final class Exchange extends ChannelInboundHandlerAdapter {
    private final Pool pool;
    private final Channel ch;
    private Call call;

    Exchange(Pool pool, Channel ch) {
      this.pool = pool;
      this.ch = ch;
    }

    void send(Call c) {
      EventLoop loop = ch.eventLoop();
      if (loop.inEventLoop()) {
        start(c);
      } else {
        loop.execute(() -> start(c));
      }
    }

    private void start(Call c) {
      if (!ch.isActive()) {
        pool.dispatch(c); // closed while it sat idle: take another
      } else {
        begin(c);
      }
    }

    void begin(Call c) {
      call = c;
      FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, c.path,
          Unpooled.wrappedBuffer(c.body));
      req.headers().set(HttpHeaderNames.HOST, pool.host)
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, c.body.length)
          .set(HttpHeaderNames.ACCEPT, HttpHeaderValues.TEXT_EVENT_STREAM);
      c.t0 = System.nanoTime();
      ch.writeAndFlush(req, ch.voidPromise()); // a failed write comes back as exceptionCaught
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Call c = call;
      Sample done = null;
      try {
        if (c == null) {
          return;
        }
        if (msg instanceof DecoderResultProvider d && d.decoderResult().isFailure()) {
          fail(d.decoderResult().cause());
          return;
        }
        if (msg instanceof HttpResponse r) {
          int code = r.status().code();
          c.interim = code >= 100 && code < 200 && code != 101;
          if (!c.interim) {
            c.status = code;
            c.overhead = r.headers().get(OVERHEAD);
            c.close = !HttpUtil.isKeepAlive(r);
          }
        }
        if (msg instanceof HttpContent content) {
          ByteBuf buf = content.content();
          if (buf.isReadable() && !c.interim) {
            if (c.first < 0) {
              c.first = System.nanoTime();
            }
            if (c.sink != null) {
              c.sink.writeBytes(ByteBufUtil.getBytes(buf));
            }
          }
          if (msg instanceof LastHttpContent) {
            if (c.interim) {
              c.interim = false;
            } else {
              done = new Sample(c.status, c.t0, c.first, System.nanoTime(), c.overhead, null);
              call = null;
            }
          }
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
      if (done != null) {
        // back in the pool before the future completes, so a call chained on it reuses this connection
        if (c.close) {
          ch.close();
        } else {
          pool.idle.offerFirst(this);
        }
        c.future.complete(done);
      }
    }

    private void fail(Throwable e) {
      Call c = call;
      call = null;
      ch.close();
      if (c != null) {
        c.fail(e);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (call != null) {
        fail(new IOException("connection closed before the response ended"));
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(cause);
    }
  }

  /**
   * Self-check: one captured response compared with the script's text, then 200 calls 64 at a time (closed loop) against a 50 ms / 5 ms / 5-token script, after
   * as many unreported ones to warm up.
   */
  public static void main(String[] args) throws Exception {
    int firstMs = 50;
    int gapMs = 5;
    int tokens = 5;
    int calls = 200;
    int inFlight = 64;
    byte[] body = body(true);
    StringBuilder expected = new StringBuilder();
    for (int n = 0; n < tokens; n++) {
      expected.append(tokenChunk(n));
    }
    expected.append(usageChunk(tokens));
    boolean pass;
    try (NettyLoad load = new NettyLoad(2)) {
      Upstream up = load.upstream(firstMs, gapMs, tokens);
      Pool client = (Pool) load.client(up.port());

      ByteArrayOutputStream mine = new ByteArrayOutputStream();
      Sample one = client.call(PATH, body, mine).get(10, TimeUnit.SECONDS);
      boolean same = one.error() == null && one.status() == 200
          && expected.toString().equals(mine.toString(StandardCharsets.UTF_8));
      ByteArrayOutputStream whole = new ByteArrayOutputStream();
      Sample w = client.call(PATH, body(false), whole).get(10, TimeUnit.SECONDS);
      same &= w.error() == null && w.status() == 200 && completion(tokens).equals(whole.toString(StandardCharsets.UTF_8));
      System.out.println("transport: " + load.transport());
      System.out.println("bodies (streamed and whole) vs expected script text (" + mine.size() + ", " + whole.size()
          + " bytes): " + (same ? "OK" : "MISMATCH"));
      if (!same) {
        System.out.println("netty:   " + one + "\n" + mine.toString(StandardCharsets.UTF_8));
      }

      GatewayBench.Target self = new GatewayBench.Target("self-check", client, PATH, -1);
      GatewayBench.run(self, inFlight, calls); // warm-up: the JIT, and the pool's connections
      long began = System.nanoTime();
      GatewayBench.Result r = GatewayBench.run(self, inFlight, calls);
      double wallMs = (System.nanoTime() - began) / 1e6;
      double[] ttft = Report.sorted(r.ttftMs());
      double[] e2e = Report.sorted(r.e2eMs());
      System.out.println(String.format(Locale.ROOT,
          "closed loop (after a warm-up as large): %d calls, %d in flight, %d connections, %.0f ms:"
              + " %d ok (status 200, no error), %d failed",
          calls, inFlight, client.opened.get(), wallMs, ttft.length, r.errors()));
      System.out.println(String.format(Locale.ROOT,
          "TTFT median %.2f ms (max %.2f); E2E median %.2f ms (max %.2f); script: %d ms and %d ms",
          Report.percentile(ttft, 50), Report.percentile(ttft, 100), Report.percentile(e2e, 50),
          Report.percentile(e2e, 100), firstMs, firstMs + gapMs * (tokens - 1)));
      pass = same && ttft.length == calls && r.errors() == 0;
    }
    System.out.println(pass ? "PASS" : "FAIL");
    System.exit(pass ? 0 : 1);
  }
}
