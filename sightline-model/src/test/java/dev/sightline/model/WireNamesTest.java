package dev.sightline.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The stored and API names of the enums: each is the lower-case constant name and reads back as that constant. */
class WireNamesTest {
  @Test
  void everyWireNameIsTheLowerCaseNameAndReadsBack() {
    check(CallStatus.values(), CallStatus::wire, CallStatus::fromWire);
    check(CostStatus.values(), CostStatus::wire, CostStatus::fromWire);
    check(SpanCategory.values(), SpanCategory::wire, SpanCategory::fromWire);
    check(TtftSource.values(), TtftSource::wire, TtftSource::fromWire);
    check(UsageSource.values(), UsageSource::wire, UsageSource::fromWire);
    for (MetricType t : MetricType.values()) {
      assertThat(t.wire()).isEqualTo(t.name().toLowerCase(Locale.ROOT));
    }
  }

  @Test
  void wireNamesAreTheOnesStoredRowsAlreadyHold() {
    assertThat(SpanCategory.LLM.wire()).isEqualTo("llm");
    assertThat(CallStatus.ERROR.wire()).isEqualTo("error");
    assertThat(TtftSource.GATEWAY.wire()).isEqualTo("gateway");
    assertThat(UsageSource.REPORTED.wire()).isEqualTo("reported");
    assertThat(MetricType.EXPONENTIAL_HISTOGRAM.wire()).isEqualTo("exponential_histogram");
  }

  private static <E extends Enum<E>> void check(E[] values, Function<E, String> wire, Function<String, E> fromWire) {
    for (E e : values) {
      assertThat(wire.apply(e)).isEqualTo(e.name().toLowerCase(Locale.ROOT));
      assertThat(fromWire.apply(wire.apply(e))).isSameAs(e);
    }
  }
}
