package dev.sightline.server;

import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code sightline server}: runs Sightline until stopped. */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run Sightline: OTLP receivers, the store, the REST API and /metrics.")
final class ServerCommand implements Runnable {
  @Mixin ServerOptions options;

  @Override
  public void run() {
    SightlineServer server = SightlineServer.start(options.toConfig());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "sightline-shutdown"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
