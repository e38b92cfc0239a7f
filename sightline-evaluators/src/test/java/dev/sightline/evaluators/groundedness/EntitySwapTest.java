package dev.sightline.evaluators.groundedness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.evaluators.ContextPassage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A name put in another name's place, with no value to give it away. */
class EntitySwapTest {

  private static EntitySwap over(ContextPassage... passages) {
    ContextIndex index = new ContextIndex(List.of(passages));
    return new EntitySwap(index, new SimilarityModel(index, List.of(), null));
  }

  private static ContextPassage passage(String title, String text) {
    return new ContextPassage("retrieval", "r", title, text);
  }

  @Test
  void aClauseSaidOfAnotherPlanIsCaught() {
    EntitySwap s = over(passage("Student discount", "Students get 50% off the Individual plan for up to 4 years."),
        passage("Family plan", "The Family plan covers up to 6 accounts at one address."));
    assertThat(s.check("students get 50% off the Family plan for up to 4 years")).contains("Individual")
        .contains("Family");
    assertThat(s.check("students get 50% off the Individual plan for up to 4 years")).isNull();
  }

  @Test
  void weekdaysAreNamesOfOneSort() {
    EntitySwap s = over(passage("Clinic", "Flu shots are offered at the front desk on Tuesdays and Thursdays."),
        passage("Boosters", "COVID boosters require an appointment and are available on Wednesdays."));
    assertThat(s.check("flu shots are offered on Wednesdays")).contains("Tuesdays");
  }

  @Test
  void anotherNameOfAnotherSortOrANegatedClauseIsNoSwap() {
    EntitySwap s = over(passage("Browsers", "The dashboard supports the latest versions of Chrome and Firefox."));
    assertThat(s.check("The dashboard doesn't support Internet Explorer")).isNull();
    EntitySwap notes = over(passage("Release notes 4.2",
        "Version 4.2.0 adds support for PostgreSQL 16. The minimum supported Java version is now 17."),
        passage("Release notes 4.1", "Version 4.1.0 added the bulk export API and required Java 11 or newer."));
    assertThat(notes.check("Version 4.2.0 requires Java 17 or newer")).isNull();
  }
}
