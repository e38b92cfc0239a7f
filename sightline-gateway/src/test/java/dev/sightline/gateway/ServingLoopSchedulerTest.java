package dev.sightline.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.SessionProtocol;
import com.linecorp.armeria.common.util.EventLoopGroups;
import com.linecorp.armeria.common.util.SafeCloseable;
import com.linecorp.armeria.server.ServiceRequestContext;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** An upstream call made while serving a request runs on that request's event loop. */
class ServingLoopSchedulerTest {
  @Test
  void theServingEventLoopIsChosenWhenCalledOnIt() throws Exception {
    EventLoopGroup serving = EventLoopGroups.newEventLoopGroup(2);
    EventLoopGroup fallback = EventLoopGroups.newEventLoopGroup(1);
    try {
      EventLoop loop = serving.next();
      ServiceRequestContext ctx = ServiceRequestContext.builder(HttpRequest.of(HttpMethod.POST, "/x"))
          .eventLoop(loop).build();
      ServingLoopScheduler scheduler = new ServingLoopScheduler(fallback);
      CompletableFuture<EventLoop> onLoop = new CompletableFuture<>();
      loop.execute(() -> {
        try (SafeCloseable ignored = ctx.push()) {
          onLoop.complete(scheduler.acquire(SessionProtocol.H1C, null, null).get());
        }
      });
      assertThat(onLoop.get()).isSameAs(loop);
      // elsewhere (no request being served on this thread): the client's own event loops
      assertThat(fallback).contains(scheduler.acquire(SessionProtocol.H1C, null, null).get());
    } finally {
      serving.shutdownGracefully();
      fallback.shutdownGracefully();
    }
  }
}
