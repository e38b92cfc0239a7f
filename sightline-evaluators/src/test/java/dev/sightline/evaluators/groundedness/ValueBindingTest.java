package dev.sightline.evaluators.groundedness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.evaluators.ContextPassage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A value must stay with the case the context gives it to. */
class ValueBindingTest {

  private static ValueBinding binding(ContextPassage... passages) {
    return new ValueBinding(new ContextIndex(List.of(passages)));
  }

  private static ContextPassage passage(String title, String text) {
    return new ContextPassage("retrieval", "r", title, text);
  }

  @Test
  void coordinatedValuesInOneSentenceBelongToTheNameNextToThem() {
    ValueBinding b = binding(passage("Lenses", "Scratch-resistant coating costs $40 for the L10 and $65 for the L20."));
    assertThat(b.swapped("The coating for the L20 costs $40")).contains("$40").contains("$65");
    assertThat(b.swapped("The coating for the L20 costs $65")).isNull();
    assertThat(b.swapped("The coating for the L10 costs $40")).isNull();
  }

  @Test
  void parallelSegmentsEachOwnTheirName() {
    ValueBinding b = binding(passage("Seats", "Starter plan: 3 seats; Growth plan: 25 seats."));
    assertThat(b.swapped("The Growth plan comes with 3 seats")).isNotNull();
    assertThat(b.swapped("The Growth plan comes with 25 seats")).isNull();
  }

  @Test
  void lowerCaseCasesAreBoundToo() {
    ValueBinding b = binding(passage("Limits",
        "The weekly withdrawal limit is $2,000 for savings accounts and $8,000 for checking accounts."));
    assertThat(b.swapped("Savings accounts can withdraw up to $8,000 a week")).isNotNull();
    assertThat(b.swapped("Savings accounts can withdraw up to $2,000 a week")).isNull();
  }

  @Test
  void aValueFromAnotherPassageIsCaughtByThatPassagesName() {
    ValueBinding b = binding(passage("Harbour View room", "The Harbour View room sleeps 4 guests."),
        passage("Garden room", "The Garden room sleeps 2 guests."));
    assertThat(b.swapped("The Harbour View room sleeps 2 guests")).isNotNull();
    assertThat(b.swapped("The Harbour View room sleeps 4 guests")).isNull();
  }

  @Test
  void anAnswerGivingBothValuesIsNoSwap() {
    ValueBinding b = binding(passage("Seats", "Starter plan: 3 seats; Growth plan: 25 seats."));
    assertThat(b.swapped("Starter has 3 seats while Growth has 25 seats")).isNull();
  }

  @Test
  void theWordsDescribingAValueDoNotOutweighTheNameOfItsCase() {
    ValueBinding b = binding(passage("Fees",
        "The Bronze card has a $90 yearly fee and a 2% cashback. The Onyx card has a $250 fee and a 3% cashback."));
    assertThat(b.swapped("The Onyx card has a $90 yearly fee")).isNotNull();
    // "yearly" sits after the Bronze value and only describes it: the Onyx name decides
    assertThat(b.swapped("The Bronze card has a $90 yearly fee")).isNull();
  }

  @Test
  void aConditionAfterUnlessDoesNotNameTheCase() {
    ValueBinding b = binding(passage("Tokens", "Access tokens last 15 minutes. With Offline access enabled they last 30 days."));
    assertThat(b.swapped("A token lasts 15 minutes unless Offline access is enabled")).isNull();
  }

  @Test
  void anotherValueOfTheClauseIsNoNameOfTheContendersCase() {
    ValueBinding b = binding(passage("Rail pass", "The 7-day pass costs €335 for adults and €252 for youth travellers."
        + " A 3-day pass costs €180 for adults."));
    assertThat(b.swapped("As a youth traveller the 7-day pass is €252")).isNull();
    assertThat(b.swapped("As an adult the 7-day pass is €252")).isNotNull();
  }
}
