package dev.sightline.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.model.CallStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.TelemetryBatch;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The call's service tier (schema version 4) is stored and read back; calls without one read null. */
class ServiceTierStorageTest {
  @TempDir Path dir;

  @Test
  void theServiceTierRoundTrips() {
    try (DuckDbStore store = DuckDbStore.open(dir)) {
      long t0 = StoreConformanceSuite.T0;
      String t1 = StoreConformanceSuite.traceId(1);
      String t2 = StoreConformanceSuite.traceId(2);
      LlmCall batch = StoreConformanceSuite.call(t1, StoreConformanceSuite.spanId(1), "openai", "gpt-4o", "svc", "r",
          t0, t0 + 1_000_000, null, 10, 20, new BigDecimal("0.001"), CallStatus.OK).withServiceTier("batch");
      LlmCall none = StoreConformanceSuite.call(t2, StoreConformanceSuite.spanId(1), "openai", "gpt-4o", "svc", "r",
          t0, t0 + 1_000_000, null, 10, 20, new BigDecimal("0.001"), CallStatus.OK);
      store.write(List.of(TelemetryBatch.ofSpans("test", List.of(
          StoreConformanceSuite.llmSpan(t1, StoreConformanceSuite.spanId(1), null, "svc", batch),
          StoreConformanceSuite.llmSpan(t2, StoreConformanceSuite.spanId(1), null, "svc", none)))));

      assertThat(store.calls(CallQuery.forTrace(t1)).get(0).serviceTier()).isEqualTo("batch");
      assertThat(store.calls(CallQuery.forTrace(t2)).get(0).serviceTier()).isNull();
      assertThat(store.trace(t1).orElseThrow().spans().get(0).llm().serviceTier()).isEqualTo("batch");
    }
  }
}
