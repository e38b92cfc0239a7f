package dev.sightline.evaluators.groundedness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.evaluators.ContextPassage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Saying the opposite of the context, with or without a negation word. */
class ContradictionTest {

  private static Contradiction over(String... sentences) {
    ContextIndex index = new ContextIndex(List.of(new ContextPassage("retrieval", "r", "Policy",
        String.join(" ", sentences))));
    return new Contradiction(index, new SimilarityModel(index, List.of(), null));
  }

  @Test
  void aNegationAboutAWordBothShareIsAContradiction() {
    Contradiction c = over("Opened software cannot be returned.", "Hardware can be returned within 30 days.");
    assertThat(c.check("Opened software can be returned")).contains("opposite");
  }

  @Test
  void aNegationAboutSomethingTheAnswerDoesNotSayIsNone() {
    Contradiction c = over("Orders not collected within 10 days are sent back to the warehouse.");
    assertThat(c.check("After 10 days an order is sent back to the warehouse")).isNull();
  }

  @Test
  void anEquallyCloseSentenceWithTheSamePolarityAgrees() {
    Contradiction c = over("Every membership includes access to the gym floor and the sauna.",
        "Personal training sessions are not included in the membership.");
    assertThat(c.check("Personal training isn't included in the membership")).isNull();
  }

  @Test
  void aPositiveClauseRestatingANegativeSentenceIsDenied() {
    Contradiction c = over("The basic warranty covers manufacturing faults.", "Water damage and drops are not covered.");
    assertThat(c.check("The basic warranty covers water damage and drops")).contains("opposite");
  }

  @Test
  void aWordFreeCompoundNegatesItsFirstHalf() {
    Contradiction c = over("Members get a commission-free brokerage account.");
    assertThat(Polarity.negative("Members get a commission-free brokerage account.")).isTrue();
    assertThat(Polarity.negatedTerms("a commission-free brokerage account")).contains("commission");
    assertThat(c.check("Members pay no commission on the brokerage account")).isNull();
    assertThat(c.check("Members pay a commission on the brokerage account")).contains("opposite");
  }

  @Test
  void anOpeningNoIsAnAnswerParticleOnlyBeforePunctuation() {
    Contradiction c = over("Walk-in visits are welcome without appointment on Mondays.");
    assertThat(c.check("No appointment is needed on Mondays")).isNull();
    assertThat(c.check("No, an appointment is needed on Mondays")).contains("opposite");
  }

  @Test
  void antonymsAreCheckedAgainstTheMatchingSentenceOnly() {
    assertThat(Polarity.antonymClash("The pool is closed on Sundays", "The pool is open on Sundays"))
        .contains("open");
    Contradiction c = over("The pool is open on Sundays.", "The maximum group size is 8.");
    assertThat(c.check("The pool is closed on Sundays")).isNotNull();
  }

  @Test
  void aContrastThatSetsAWrongValueAsideNegatesNothing() {
    Contradiction c = over("The default port changed from 7070 to 7443 and TLS is now enabled by default.");
    assertThat(c.check("the server listens on port 7443 by default, not 7070")).isNull();
    assertThat(Polarity.negative("it listens on 7443 by default, not 7070")).isFalse();
    assertThat(Polarity.negative("it does not listen on 7443 by default")).isTrue();
  }

  @Test
  void aNegationAgreesWithAPositiveSentenceThatImpliesIt() {
    Contradiction c = over("Bicycles are allowed on regional trains outside the weekday peak periods.");
    assertThat(c.check("bikes aren't allowed on regional trains during the weekday peak periods")).isNull();
    Contradiction plain = over("Bicycles are allowed on regional trains during the weekday peak periods.");
    assertThat(plain.check("bikes aren't allowed on regional trains during the weekday peak periods"))
        .contains("opposite");
  }
}
