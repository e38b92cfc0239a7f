package dev.sightline.gateway;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The setup several gateway tests share: a {@link FakeOpenAi} upstream behind a gateway that
 * records metadata, started once per class, with the recorded calls cleared before each test.
 * Subclasses that need more set-up use their own {@code @BeforeAll} / {@code @AfterAll} methods
 * under other names (a static method of the same name would hide these).
 */
abstract class OpenAiGatewayTest {
  static FakeOpenAi upstream;
  static GatewayHarness gateway;

  @BeforeAll
  static void startUpstreamAndGateway() {
    upstream = new FakeOpenAi();
    gateway = new GatewayHarness(GatewayHarness.configFor(upstream, CaptureMode.METADATA));
  }

  @AfterAll
  static void stopGatewayAndUpstream() {
    if (gateway != null) { // null when the set-up was skipped (no fixtures)
      gateway.close();
    }
    if (upstream != null) {
      upstream.close();
    }
  }

  @BeforeEach
  void clearRecordedCalls() {
    gateway.ingest.reset();
  }
}
