package dev.sightline.gateway;

import com.linecorp.armeria.client.ResponseTimeoutException;
import com.linecorp.armeria.common.ClosedSessionException;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.common.ResponseHeadersBuilder;
import com.linecorp.armeria.common.util.TransportType;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The recorded calls' way to a plain-HTTP upstream: HTTP/1.1 straight on Netty, on the event loop
 * that serves the client, with keep-alive connections pooled per event loop and the response's
 * pooled buffers handed to the {@link Relay} as they are read (the socket is read only on the
 * relay's demand). It replaces Armeria's client for these calls because that client's
 * per-request machinery cost more CPU than all the gateway's own observation.
 */
final class UpstreamClient {
  /** Pooled connections unused for this long are closed instead of reused (the upstream may have dropped them). */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(50);

  private final int connectTimeoutMillis;
  /** Each event loop's idle connections per upstream authority (touched only on that event loop). */
  private final FastThreadLocal<Map<String, ArrayDeque<Connection>>> idle = new FastThreadLocal<>() {
    @Override
    protected Map<String, ArrayDeque<Connection>> initialValue() {
      return new HashMap<>();
    }
  };

  /** Every open upstream connection, closed with the gateway. */
  private final ChannelGroup all = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  /**
   * Whether {@code upstream} can be reached without a DNS lookup (an IP literal or localhost): the
   * connect runs on an event loop, and Netty's default resolver would block it on a lookup.
   */
  static boolean reachableWithoutLookup(java.net.URI upstream) {
    String host = upstream.getHost();
    if (host == null) {
      return false;
    }
    return host.equalsIgnoreCase("localhost") || host.startsWith("[")
        || host.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  UpstreamClient(Duration connectTimeout) {
    this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, connectTimeout.toMillis()));
  }

  /**
   * Sends {@code headers} and {@code body} to {@code route}'s upstream on {@code loop} and relays
   * the response to {@code relay}: headers, data, trailers, then complete, or an error (a
   * {@link ResponseTimeoutException} when no headers came within the route's response timeout).
   */
  void call(EventLoop loop, Route route, RequestHeaders headers, byte[] body, Exchange x, Subscriber<com.linecorp.armeria.common.HttpObject> relay) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> call(loop, route, headers, body, x, relay));
      return;
    }
    Call call = new Call(relay, request(route, headers, body));
    relay.onSubscribe(call);
    if (call.cancelled) {
      return;
    }
    long timeout = route.responseTimeout().toNanos();
    if (timeout > 0) {
      call.timeout = loop.schedule(() -> call.fail(ResponseTimeoutException.get(), true), timeout, TimeUnit.NANOSECONDS);
    }
    String authority = route.upstream().getRawAuthority();
    Connection c = pooled(authority);
    if (c != null) {
      c.start(call);
      return;
    }
    long t0 = System.nanoTime();
    Bootstrap b = new Bootstrap().group(loop).channel(TransportType.socketChannelType(loop))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInboundHandlerAdapter());
    ChannelFuture f = b.connect(route.upstream().getHost(), route.port());
    f.addListener(done -> {
      if (!done.isSuccess()) {
        call.fail(done.cause(), false);
        return;
      }
      Channel ch = f.channel();
      x.upstreamConnectNanos = System.nanoTime() - t0;
      Connection conn = new Connection(ch, authority);
      // large headers (cookies, long ids) from hosted providers; chunks are cut at 16 KiB, which the relay forwards as they are
      ch.pipeline().addLast(new HttpClientCodec(8192, 64 << 10, 16 << 10), conn);
      all.add(ch);
      if (call.finished || call.cancelled) {
        ch.close();
        return;
      }
      conn.start(call);
    });
  }

  /** Closes every upstream connection (the gateway stopped). */
  void close() {
    all.close();
  }

  private Connection pooled(String authority) {
    ArrayDeque<Connection> q = idle.get().get(authority);
    if (q == null) {
      return null;
    }
    long now = System.nanoTime();
    Connection c;
    while ((c = q.pollLast()) != null) {
      if (c.channel.isActive() && now - c.idleSince < IDLE_NANOS) {
        return c;
      }
      c.channel.close();
    }
    return null;
  }

  private static FullHttpRequest request(Route route, RequestHeaders headers, byte[] body) {
    FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(headers.method().name()),
        headers.path(), Unpooled.wrappedBuffer(body), false);
    io.netty.handler.codec.http.HttpHeaders h = req.headers();
    h.add(HttpHeaderNames.HOST, route.upstream().getRawAuthority());
    headers.forEach((name, value) -> {
      if (!name.isEmpty() && name.byteAt(0) != ':') {
        h.add(name, value);
      }
    });
    h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    return req;
  }

  /** One upstream connection: runs one call at a time and goes back to its event loop's pool when a response ends cleanly. */
  private final class Connection extends ChannelInboundHandlerAdapter {
    final Channel channel;
    final String authority;
    long idleSince;
    private Call call;
    private boolean keepAlive;

    Connection(Channel channel, String authority) {
      this.channel = channel;
      this.authority = authority;
    }

    void start(Call c) {
      call = c;
      c.connection = this;
      keepAlive = true;
      channel.writeAndFlush(c.request).addListener(w -> {
        if (!w.isSuccess()) {
          c.fail(w.cause(), false);
        }
      });
      c.request = null;
      channel.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      Call c = call;
      if (c == null || c.finished) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (msg instanceof HttpObject o && o.decoderResult().isFailure()) {
        ReferenceCountUtil.release(msg);
        Throwable cause = o.decoderResult().cause();
        call = null;
        c.fail(cause, false);
        return;
      }
      if (msg instanceof HttpResponse r) {
        if (r.status().code() >= 100 && r.status().code() < 200) {
          ReferenceCountUtil.release(msg);
          return; // informational: the final headers follow (the codec drops a 1xx's empty body)
        }
        keepAlive = HttpUtil.isKeepAlive(r);
        c.headers(responseHeaders(r));
      }
      if (msg instanceof HttpContent content) {
        if (content.content().isReadable()) {
          c.data(HttpData.wrap(content.content().retain()));
        }
        if (content instanceof LastHttpContent last) {
          if (!last.trailingHeaders().isEmpty()) {
            HttpHeadersBuilder t = HttpHeaders.builder();
            last.trailingHeaders().forEach(e -> t.add(e.getKey(), e.getValue()));
            c.trailers(t.build());
          }
          call = null;
          c.connection = null;
          c.end();
          release();
        }
      }
      ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      Call c = call;
      if (c != null && c.wantsMore()) {
        channel.read();
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      Call c = call;
      call = null;
      if (c != null) {
        c.fail(ClosedSessionException.get(), false);
      }
      ArrayDeque<Connection> q = idle.get().get(authority);
      if (q != null) {
        q.remove(this);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      Call c = call;
      call = null;
      channel.close();
      if (c != null) {
        c.fail(cause, false);
      }
    }

    /** The response ended: keep the connection for the next call on this event loop, or close it. */
    private void release() {
      if (!keepAlive || !channel.isActive()) {
        channel.close();
        return;
      }
      idleSince = System.nanoTime();
      idle.get().computeIfAbsent(authority, a -> new ArrayDeque<>()).addLast(this);
      channel.read(); // an idle read, so that the upstream closing the connection is seen at once

    }

    /** The call gave up mid-response: the rest of the response would arrive on this connection, so it is closed. */
    void abandon() {
      call = null;
      channel.close();
    }
  }

  private static ResponseHeaders responseHeaders(HttpResponse r) {
    ResponseHeadersBuilder b = ResponseHeaders.builder(HttpStatus.valueOf(r.status().code()));
    for (Map.Entry<String, String> e : r.headers()) {
      b.add(e.getKey(), e.getValue());
    }
    return b.build();
  }

  /**
   * One call's response as the relay sees it: objects queue here until the relay asks for them (it
   * asks for one at a time), and the socket is read again only when nothing is queued.
   */
  private static final class Call implements Subscription {
    private static final Object END = new Object();
    private final Subscriber<com.linecorp.armeria.common.HttpObject> relay;
    private final ArrayDeque<Object> queued = new ArrayDeque<>(4);
    FullHttpRequest request;
    Connection connection;
    ScheduledFuture<?> timeout;
    long demand;
    boolean cancelled;
    /** No more objects will be queued (the response ended or failed). */
    boolean finished;
    private boolean delivering;
    private Throwable failure;

    Call(Subscriber<com.linecorp.armeria.common.HttpObject> relay, FullHttpRequest request) {
      this.relay = relay;
      this.request = request;
    }

    void headers(ResponseHeaders h) {
      if (timeout != null) {
        timeout.cancel(false);
        timeout = null;
      }
      queue(h);
    }

    void data(HttpData d) {
      queue(d);
    }

    void trailers(HttpHeaders t) {
      queue(t);
    }

    void end() {
      finished = true;
      queue(END);
    }

    /** Fails the call; {@code timedOut} only while no headers arrived (the connection is closed either way). */
    void fail(Throwable cause, boolean timedOut) {
      if (finished || cancelled) {
        return;
      }
      finished = true;
      if (timeout != null) {
        timeout.cancel(false);
        timeout = null;
      }
      if (connection != null) {
        connection.abandon();
        connection = null;
      }
      releaseRequest();
      failure = cause;
      drain();
    }

    boolean wantsMore() {
      return !finished && !cancelled && demand > 0 && queued.isEmpty();
    }

    private void queue(Object o) {
      if (cancelled) {
        if (o instanceof HttpData d) {
          d.close();
        }
        return;
      }
      queued.addLast(o);
      drain();
    }

    @Override
    public void request(long n) {
      if (n <= 0 || cancelled) {
        return;
      }
      demand += n;
      drain();
      if (wantsMore() && connection != null && connection.call == this) {
        connection.channel.read();
      }
    }

    @Override
    public void cancel() {
      if (cancelled) {
        return;
      }
      cancelled = true;
      if (timeout != null) {
        timeout.cancel(false);
        timeout = null;
      }
      if (!finished && connection != null) {
        connection.abandon();
      }
      connection = null;
      finished = true;
      releaseRequest();
      for (Object o; (o = queued.poll()) != null; ) {
        if (o instanceof HttpData d) {
          d.close();
        }
      }
    }

    private void releaseRequest() {
      if (request != null) {
        request.release();
        request = null;
      }
    }

    /** Hands queued objects to the relay while it has demand; re-entrant calls (the relay asking for more) just add demand. */
    private void drain() {
      if (delivering) {
        return;
      }
      delivering = true;
      try {
        while (!cancelled) {
          if (failure != null) {
            Throwable f = failure;
            failure = null;
            cancelled = true; // nothing more goes to the relay
            for (Object o; (o = queued.poll()) != null; ) {
              if (o instanceof HttpData d) {
                d.close();
              }
            }
            relay.onError(f);
            return;
          }
          if (demand == 0 || queued.isEmpty()) {
            return;
          }
          Object o = queued.poll();
          if (o == END) {
            cancelled = true;
            relay.onComplete();
            return;
          }
          demand--;
          relay.onNext((com.linecorp.armeria.common.HttpObject) o);
        }
      } finally {
        delivering = false;
      }
    }
  }
}
