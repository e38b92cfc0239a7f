package dev.sightline.evaluators.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FactExtractorTest {

  private static List<String> keys(String s) {
    return FactExtractor.extract(s).stream().map(Fact::key).toList();
  }

  @Test
  void moneyInEverySpellingHasOneKey() {
    assertThat(keys("It costs $1,200 now.")).containsExactly("money 1200 USD");
    assertThat(keys("It costs 1200 USD now.")).containsExactly("money 1200 USD");
    assertThat(keys("It costs USD 1,200.00 now.")).containsExactly("money 1200 USD");
    assertThat(keys("A fee of €35 or 20 euros or £5.50 or $2.5k.")).containsExactly("money 35 EUR",
        "money 20 EUR", "money 5.5 GBP", "money 2500 USD");
  }

  @Test
  void percentagesAndDurationsNormalise() {
    assertThat(keys("You save 15% on it")).containsExactly("percent 15");
    assertThat(keys("You save 15 percent on it")).containsExactly("percent 15");
    assertThat(keys("Refunds arrive within two weeks")).containsExactly("duration 14 day");
    assertThat(keys("Refunds arrive within 14 days")).containsExactly("duration 14 day");
    assertThat(keys("a 30-day window and 48 hours and ten business days and one month"))
        .containsExactly("duration 30 day", "duration 2 day", "duration 10 business day", "duration 1 month");
    assertThat(keys("within twenty-four hours")).containsExactly("duration 1 day");
  }

  @Test
  void datesTimesVersionsAndNumbers() {
    assertThat(keys("Due on March 3, 2024 or 3 March 2024 or 2024-03-03.")).containsExactly("date 2024-03-03",
        "date 2024-03-03", "date 2024-03-03");
    assertThat(keys("Open 9am to 5:30 pm since May 2021")).containsExactly("time 09:00", "time 17:30",
        "date 2021-05");
    assertThat(keys("Upgrade to v2.3.1 for three seats and 250 requests")).containsExactly("version 2.3.1",
        "number 3", "number 250");
    assertThat(keys("You may bring one bag")).isEmpty();
  }

  @Test
  void entitiesAreNamesNotAtSentenceStartAndCodes() {
    assertThat(keys("Customers on Plan B2 can call Acme Support Desk.")).containsExactly("entity plan b2",
        "entity acme support desk");
    assertThat(keys("Premium members get it.")).isEmpty();
    assertThat(keys("SSO uses SAML with gpt-4o.")).containsExactly("entity sso", "entity saml", "entity gpt-4o");
  }

  @Test
  void badInputNeverThrows() {
    assertThat(keys(null)).isEmpty();
    assertThat(keys("$ % , 99999999999999999999999999999 USD \u0000 twenty-twenty-twenty")).isNotNull();
  }

  @Test
  void aBareDashOrCommandLineFlagIsNoNumberAndNeverThrows() {
    assertThat(keys("The --legacy-auth flag was removed in 4.2.0 - see the notes.")).containsExactly(
        "version 4.2.0");
    assertThat(keys("the 7-days-within-1-month pass")).isNotNull();
  }

  @Test
  void timesOfDayInWordsAndRangesSharingAMeridiem() {
    assertThat(keys("until 2 in the afternoon")).containsExactly("time 14:00");
    assertThat(keys("between 11 at night and 7 in the morning")).containsExactly("time 23:00", "time 07:00");
    assertThat(keys("the peak runs from 4 to 6:30 p.m. daily")).containsExactly("time 16:00", "time 18:30");
  }

  @Test
  void aNumberRightAfterANameBelongsToTheName() {
    assertThat(keys("The router comes with Fibre 1000 and Go 15 plans.")).containsExactly("entity fibre 1000",
        "entity go 15");
    assertThat(keys("Upgrade to Pro 20 GB storage")).containsExactly("entity pro", "number 20");
  }

  @Test
  void countsOfTheAnswersOwnWordingAndCentsSigns() {
    assertThat(keys("Two things matter once three quarters are used")).isEmpty();
    assertThat(keys("The Flex tariff charges 14¢ per kWh")).containsExactly("entity flex", "money 0.14 USD");
  }
}
