package dev.sightline.evaluators.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

  private static List<String> texts(String s) {
    return SentenceSplitter.split(s).stream().map(Sentence::text).toList();
  }

  @Test
  void abbreviationsDecimalsAndInitialsDoNotEndSentences() {
    assertThat(texts("Dr. Smith approved it, e.g. for U.S. customers. The rate is 3.5% today. Ask J. Doe."))
        .containsExactly("Dr. Smith approved it, e.g. for U.S. customers.", "The rate is 3.5% today.",
            "Ask J. Doe.");
  }

  @Test
  void abbreviationAtSentenceEndStillSplitsBeforeASentenceStarter() {
    assertThat(texts("We ship within the U.S. The fee is $5.")).containsExactly("We ship within the U.S.",
        "The fee is $5.");
  }

  @Test
  void listItemsAndHeadingsAreTheirOwnSentencesWithoutTheirMarkers() {
    String md = "Here is the policy:\n\n- Refunds take 14 days\n* Exchanges are free\n2. Keep the receipt\n# Notes";
    assertThat(texts(md)).containsExactly("Here is the policy:", "Refunds take 14 days", "Exchanges are free",
        "Keep the receipt", "Notes");
  }

  @Test
  void quotedSpeechKeepsItsClosingQuote() {
    assertThat(texts("He said \"Refunds are final.\" Then he left! Really?")).containsExactly(
        "He said \"Refunds are final.\"", "Then he left!", "Really?");
  }

  @Test
  void offsetsPointIntoTheOriginalText() {
    String s = "  Hello there.\n- Item **one** here.  Second one.";
    for (Sentence sentence : SentenceSplitter.split(s)) {
      assertThat(s.substring(sentence.start(), sentence.end())).isEqualTo(sentence.text());
    }
    assertThat(SentenceSplitter.split(s).get(1).plain()).isEqualTo("Item one here.");
  }

  @Test
  void blankNullAndDebrisGiveNoSentencesAndNeverThrow() {
    assertThat(SentenceSplitter.split(null)).isEmpty();
    assertThat(SentenceSplitter.split("   \n\n ... !!")).isEmpty();
    assertThat(SentenceSplitter.split("\u0000\uFFFD ok.\u0007 Fine")).hasSize(2);
    assertThat(SentenceSplitter.split("a. b. c. d.", 2)).hasSize(1);
  }
}
