package dev.sightline.gateway;

import com.linecorp.armeria.client.Endpoint;
import com.linecorp.armeria.client.EventLoopScheduler;
import com.linecorp.armeria.client.endpoint.EndpointGroup;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.ReleasableHolder;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;

/**
 * Puts each upstream call on the event loop that serves the client's request, so the upstream
 * connection, the relay and the client connection share one thread and a streamed chunk never
 * waits for a thread hand-over on its way through (on a loaded machine each hand-over can cost
 * milliseconds). Upstream connections are pooled per event loop. Calls made outside a served
 * request use the client factory's own event loops.
 */
final class ServingLoopScheduler implements EventLoopScheduler {
  private final EventLoopGroup fallback;

  ServingLoopScheduler(EventLoopGroup fallback) {
    this.fallback = fallback;
  }

  @Override
  public ReleasableHolder<EventLoop> acquire(SessionProtocol protocol, EndpointGroup endpointGroup, Endpoint endpoint) {
    ServiceRequestContext ctx = ServiceRequestContext.currentOrNull();
    EventLoop loop = ctx != null && ctx.eventLoop().withoutContext().inEventLoop()
        ? ctx.eventLoop().withoutContext() : fallback.next();
    return new ReleasableHolder<>() {
      @Override
      public EventLoop get() {
        return loop;
      }

      @Override
      public void release() {
        // nothing is counted per event loop
      }
    };
  }
}
