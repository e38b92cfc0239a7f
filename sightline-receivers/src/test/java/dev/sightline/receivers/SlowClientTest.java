package dev.sightline.receivers;

import static org.assertj.core.api.Assertions.assertThat;

import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.testing.junit5.server.ServerExtension;
import dev.sightline.pipeline.IngestCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 200 clients that open a connection and send nothing, stop halfway through the headers, or
 * promise a body and send a few bytes of it: a normal export still succeeds, no thread is held
 * per connection, and the server closes them all once its idle / request timeouts pass.
 */
class SlowClientTest {
  private static final byte[] ONE_SPAN = ReceiverTestSupport.traces(
      ReceiverTestSupport.span("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", "s")).toByteArray();
  private static final RecordingIngest ingest = new RecordingIngest();

  @RegisterExtension
  static final ServerExtension server = new ServerExtension() {
    @Override
    protected void configure(ServerBuilder sb) {
      OtlpReceiver receiver = new OtlpReceiver(ingest, new IngestCounters(), ReceiverLimits.defaults());
      receiver.bindHttp(sb);
      // short, so the test sees the server close them; the server's own are longer
      sb.idleTimeout(Duration.ofSeconds(1)).requestTimeout(Duration.ofSeconds(2));
    }
  };

  @Test
  void stalledConnectionsHoldNoThreadsAndAreClosed() throws Exception {
    int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();
    List<Socket> stalled = new ArrayList<>();
    try {
      for (int i = 0; i < 200; i++) {
        Socket s = new Socket("127.0.0.1", server.httpPort());
        s.setSoTimeout(60_000);
        OutputStream out = s.getOutputStream();
        switch (i % 3) {
          case 0 -> { } // connects and sends nothing
          case 1 -> out.write("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Ty".getBytes(StandardCharsets.US_ASCII));
          default -> out.write(("POST /v1/traces HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-protobuf\r\n"
              + "Content-Length: 100000\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
        stalled.add(s);
      }
      var answer = ReceiverTestSupport.postTo(server.httpUri(), "/v1/traces", ONE_SPAN);
      assertThat(answer.status().code()).isEqualTo(200);
      assertThat(ingest.spans()).hasSize(1);
      int threadsDuring = ManagementFactory.getThreadMXBean().getThreadCount();
      assertThat(threadsDuring - threadsBefore).as("threads added while 200 connections stall").isLessThan(40);

      // the server closes every one of them (idle: nothing sent; request timeout: a body never finished)
      for (Socket s : stalled) {
        assertThat(closedByServer(s)).isTrue();
      }
    } finally {
      for (Socket s : stalled) {
        s.close();
      }
    }
  }

  /** Reads (and ignores any 408 / 503 answer) until the server closes the connection. */
  private static boolean closedByServer(Socket s) throws IOException {
    InputStream in = s.getInputStream();
    byte[] buf = new byte[4096];
    try {
      while (in.read(buf) >= 0) {
        // an error answer before the close
      }
      return true;
    } catch (SocketException reset) {
      return true;
    }
  }
}
