package dev.sightline.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sightline.model.CallStatus;
import dev.sightline.model.CostStatus;
import dev.sightline.model.MetricType;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TtftSource;
import dev.sightline.model.UsageSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/**
 * The enum numbers on the wire are the ones docs/bus-format.md lists, whatever the Java enums' order:
 * a batch written by an older release must keep its meaning.
 */
class WireCodesTest {

  @Test
  void theNumbersAreTheDocumentedOnes() {
    assertThat(codes(SpanKind.class, WireCodes::code)).isEqualTo(Map.of("UNSPECIFIED", 1, "INTERNAL", 2, "SERVER", 3,
        "CLIENT", 4, "PRODUCER", 5, "CONSUMER", 6));
    assertThat(codes(SpanStatus.class, WireCodes::code)).isEqualTo(Map.of("UNSET", 1, "OK", 2, "ERROR", 3));
    assertThat(codes(SpanCategory.class, WireCodes::code)).isEqualTo(Map.ofEntries(Map.entry("LLM", 1),
        Map.entry("EMBEDDING", 2), Map.entry("RETRIEVAL", 3), Map.entry("RERANK", 4), Map.entry("TOOL", 5),
        Map.entry("AGENT", 6), Map.entry("WORKFLOW", 7), Map.entry("GUARDRAIL", 8), Map.entry("HTTP", 9),
        Map.entry("DB", 10), Map.entry("BROWSER", 11), Map.entry("OTHER", 12)));
    assertThat(codes(UsageSource.class, WireCodes::code)).isEqualTo(Map.of("REPORTED", 1, "ESTIMATED", 2, "NONE", 3));
    assertThat(codes(TtftSource.class, WireCodes::code)).isEqualTo(Map.of("TIME_TO_FIRST_CHUNK", 1,
        "COMPLETION_START_TIME", 2, "FIRST_TOKEN_EVENT", 3, "GATEWAY", 4));
    assertThat(codes(CostStatus.class, WireCodes::code)).isEqualTo(Map.of("PRICED", 1, "UNPRICED", 2, "NO_USAGE", 3));
    assertThat(codes(CallStatus.class, WireCodes::code)).isEqualTo(Map.of("OK", 1, "ERROR", 2));
    assertThat(codes(MetricType.class, WireCodes::code)).isEqualTo(Map.of("GAUGE", 1, "SUM", 2, "HISTOGRAM", 3,
        "EXPONENTIAL_HISTOGRAM", 4, "SUMMARY", 5));
  }

  @Test
  void everyNumberReadsBackAsItsConstantAndZeroIsNull() throws Exception {
    ByteSource in = new ByteSource(new byte[0]);
    for (SpanKind v : SpanKind.values()) {
      assertThat(WireCodes.spanKind(WireCodes.code(v), in)).isEqualTo(v);
    }
    for (SpanStatus v : SpanStatus.values()) {
      assertThat(WireCodes.spanStatus(WireCodes.code(v), in)).isEqualTo(v);
    }
    for (SpanCategory v : SpanCategory.values()) {
      assertThat(WireCodes.spanCategory(WireCodes.code(v), in)).isEqualTo(v);
    }
    for (UsageSource v : UsageSource.values()) {
      assertThat(WireCodes.usageSource(WireCodes.code(v), in)).isEqualTo(v);
    }
    for (TtftSource v : TtftSource.values()) {
      assertThat(WireCodes.ttftSource(WireCodes.code(v), in)).isEqualTo(v);
    }
    for (CostStatus v : CostStatus.values()) {
      assertThat(WireCodes.costStatus(WireCodes.code(v), in)).isEqualTo(v);
    }
    for (CallStatus v : CallStatus.values()) {
      assertThat(WireCodes.callStatus(WireCodes.code(v), in)).isEqualTo(v);
    }
    for (MetricType v : MetricType.values()) {
      assertThat(WireCodes.metricType(WireCodes.code(v), in)).isEqualTo(v);
    }
    assertThat(WireCodes.spanKind(0, in)).isNull();
    assertThat(WireCodes.code((SpanKind) null)).isZero();
    assertThatThrownBy(() -> WireCodes.metricType(6, in)).isInstanceOf(BatchFormatException.class)
        .hasMessageContaining("unknown metric type code 6");
  }

  private static <E extends Enum<E>> Map<String, Integer> codes(Class<E> type, ToIntFunction<E> code) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (E e : type.getEnumConstants()) {
      out.put(e.name(), code.applyAsInt(e));
    }
    return out;
  }
}
