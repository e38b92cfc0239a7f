package dev.sightline.evaluators.groundedness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.evaluators.text.Fact;
import dev.sightline.evaluators.text.FactExtractor;
import org.junit.jupiter.api.Test;

class FactMatchTest {

  private static Fact first(String s) {
    return FactExtractor.extract(s).get(0);
  }

  @Test
  void durationsInDifferentUnitsAreTheSame() {
    assertThat(FactMatch.same(first("after five minutes"), first("after 300 seconds"))).isTrue();
    assertThat(FactMatch.same(first("within 2 hours"), first("within 120 minutes"))).isTrue();
    assertThat(FactMatch.same(first("within 2 hours"), first("within 90 minutes"))).isFalse();
    assertThat(FactMatch.comparable(first("after 12 hours"), first("after 14 days"))).isTrue();
  }

  @Test
  void aDateWithoutYearAgreesWithTheFullDate() {
    assertThat(FactMatch.same(first("due by 15 April 2025"), first("still due by April 15"))).isTrue();
    assertThat(FactMatch.same(first("due by 15 April 2025"), first("due by April 16"))).isFalse();
  }

  @Test
  void aNumberWordJoinedToItsUnitIsADuration() {
    assertThat(FactMatch.same(first("the three-month trial"), first("a trial of 3 months"))).isTrue();
  }

  @Test
  void aValueIsWithinARangeOfItsOwnKindAndUnit() {
    var r = ContextIndex.ranges("Refunds take 31–60 days.", FactExtractor.extract("Refunds take 31–60 days."));
    assertThat(r).hasSize(1);
    assertThat(FactMatch.within(first("after 45 days"), r.get(0)[0], r.get(0)[1])).isTrue();
    assertThat(FactMatch.within(first("after 61 days"), r.get(0)[0], r.get(0)[1])).isFalse();
    assertThat(FactMatch.within(first("after 45 months"), r.get(0)[0], r.get(0)[1])).isFalse();
    String between = "It accepts values between 1 and 60 and costs 5 and 7 dollars.";
    assertThat(ContextIndex.ranges(between, FactExtractor.extract(between))).hasSize(1);
  }
}
