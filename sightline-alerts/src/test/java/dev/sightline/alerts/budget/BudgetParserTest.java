package dev.sightline.alerts.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Budget specs from the command line and the config file, and the errors a wrong one gets. */
class BudgetParserTest {

  @Test
  void readsTheDocumentedExamples() throws Exception {
    List<Budget> b = BudgetParser.parseAll(List.of("all=project,1000/month chat=route:/chat,50/month,soft=75%,hard",
        "alice=user:alice,5/24h,hard", "svc=service:checkout,12.5/7d"));
    assertThat(b).extracting(Budget::name).containsExactly("all", "chat", "alice", "svc");
    assertThat(b.get(0)).isEqualTo(new Budget("all", Budget.Scope.PROJECT, null, Budget.Period.MONTH,
        new BigDecimal("1000.00"), 80, false));
    assertThat(b.get(1)).isEqualTo(new Budget("chat", Budget.Scope.ROUTE, "/chat", Budget.Period.MONTH,
        new BigDecimal("50.00"), 75, true));
    assertThat(b.get(2).period().rolling()).isEqualTo(Duration.ofHours(24));
    assertThat(b.get(2).period().wire()).isEqualTo("24h");
    assertThat(b.get(3).period().wire()).isEqualTo("7d");
    assertThat(b.get(3).limitUsd()).isEqualByComparingTo("12.5");
    assertThat(b.get(3).scopeLabel()).isEqualTo("service checkout");
    assertThat(b.get(1).softUsd()).isEqualByComparingTo("37.50");
  }

  @Test
  void apiKeyBudgetsSayTheyWaitForKeys() {
    assertThatThrownBy(() -> BudgetParser.parse("k=key:sk-1,5/month,hard"))
        .isInstanceOf(BudgetSpecException.class).hasMessageContaining("API-key budgets").hasMessageContaining("issue 16");
  }

  @Test
  void everyMistakeGetsAMessageThatSaysWhatToChange() {
    assertProblem("chat", "expected NAME=SCOPE");
    assertProblem("=project,5/month", "expected NAME=SCOPE");
    assertProblem("bad name=project,5/month", "the name 'bad name'");
    assertProblem("a=project", "scope and an amount per period");
    assertProblem("a=team:x,5/month", "unknown scope 'team'");
    assertProblem("a=route,5/month", "the route scope needs a value, e.g. route:/chat");
    assertProblem("a=user:,5/month", "the user scope needs a value");
    assertProblem("a=project:x,5/month", "the project scope takes no value");
    assertProblem("a=project,5", "expected USD/PERIOD");
    assertProblem("a=project,five/month", "'five' is not a number");
    assertProblem("a=project,0/month", "more than 0 USD");
    assertProblem("a=project,5/week", "'week' must be 'month' or a rolling window");
    assertProblem("a=project,5/0h", "must be 'month' or a rolling window");
    assertProblem("a=project,5/400d", "at most 366d");
    assertProblem("a=project,5/month,soft=120%", "between 1% and 100%");
    assertProblem("a=project,5/month,soft=lots", "soft= takes a percentage");
    assertProblem("a=project,5/month,hard,hard", "'hard' is given twice");
    assertProblem("a=project,5/month,strict", "unknown option 'strict'");
  }

  @Test
  void namesMustBeUnique() {
    assertThatThrownBy(() -> BudgetParser.parseAll(List.of("a=project,5/month", "a=user:bob,1/24h")))
        .isInstanceOf(BudgetSpecException.class).hasMessageContaining("'a' is defined twice");
  }

  @Test
  void aNullSpecIsAProblemNotACrash() {
    assertThatThrownBy(() -> BudgetParser.parse(null)).isInstanceOf(BudgetSpecException.class);
  }

  private static void assertProblem(String spec, String message) {
    assertThatThrownBy(() -> BudgetParser.parse(spec)).isInstanceOf(BudgetSpecException.class)
        .hasMessageContaining(message);
  }
}
