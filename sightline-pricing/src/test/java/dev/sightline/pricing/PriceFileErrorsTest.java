package dev.sightline.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A bad price file is rejected with every error found, each naming its line and column and saying
 * what to change; never a stack trace.
 */
class PriceFileErrorsTest {

  private static PriceFileException rejected(String fileName, String content) {
    PriceFileException e = catchThrowableOfType(PriceFileException.class,
        () -> PriceCatalog.bundled().withUserFile(fileName, content.getBytes(StandardCharsets.UTF_8)));
    assertThat(e).as("expected the file to be rejected").isNotNull();
    return e;
  }

  private static PriceFileError only(String fileName, String content) {
    List<PriceFileError> errors = rejected(fileName, content).errors();
    assertThat(errors).hasSize(1);
    return errors.get(0);
  }

  @Test
  void unknownFieldWithASuggestion() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input: 1
                output: 2
                cache_read: 0.1
        """);
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.column()).isEqualTo(9);
    assertThat(e.path()).isEqualTo("models[0].prices[0]");
    assertThat(e.message()).contains("unknown field 'cache_read'").contains("did you mean 'cacheRead'?");
    assertThat(e.toString()).startsWith("prices.yaml:6:9: models[0].prices[0]: unknown field 'cache_read'");
  }

  @Test
  void aLiteLlmFieldGetsAHintAboutUnits() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input_cost_per_token: 0.000001
                input: 1
                output: 2
        """);
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.message()).contains("USD per million tokens");
  }

  @Test
  void negativePrice() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input: 1
                output: -0.5
        """);
    assertThat(e.line()).isEqualTo(5);
    assertThat(e.column()).isEqualTo(17);
    assertThat(e.path()).isEqualTo("models[0].prices[0].output");
    assertThat(e.message()).contains("negative price -0.5");
  }

  @Test
  void aPriceThatIsNotANumber() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input: cheap
                output: 2
        """);
    assertThat(e.path()).isEqualTo("models[0].prices[0].input");
    assertThat(e.message()).contains("must be a number").contains("'cheap'");
  }

  @Test
  void badRegex() {
    PriceFileError e = only("prices.yaml", """
        models:
          - regex: "ft:gpt-4o(:acme"
            prices:
              - input: 1
                output: 2
        """);
    assertThat(e.line()).isEqualTo(2);
    assertThat(e.column()).isEqualTo(12);
    assertThat(e.path()).isEqualTo("models[0].regex");
    assertThat(e.message()).contains("bad regex 'ft:gpt-4o(:acme'").contains("Unclosed group");
  }

  @Test
  void badDates() {
    List<PriceFileError> errors = rejected("prices.yaml", """
        models:
          - name: acme
            prices:
              - effectiveFrom: 2026-13-01
                input: 1
                output: 2
              - effectiveFrom: 2026-03-01T09:00:00
                input: 1
                output: 2
              - effectiveFrom: 1969-12-31
                input: 1
                output: 2
        """).errors();
    assertThat(errors).hasSize(3);
    assertThat(errors.get(0).line()).isEqualTo(4);
    assertThat(errors.get(0).message()).contains("bad date '2026-13-01'").contains("2026-03-01");
    assertThat(errors.get(1).line()).isEqualTo(7);
    assertThat(errors.get(1).message()).contains("no zone").contains("'Z'");
    assertThat(errors.get(2).message()).contains("out of range");
  }

  @Test
  void overlappingDates() {
    // 2026-03-01 and 2026-03-01T00:00:00Z are the same instant
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - effectiveFrom: 2026-03-01
                input: 1
                output: 2
              - effectiveFrom: 2026-03-01T00:00:00Z
                input: 2
                output: 3
        """);
    assertThat(e.line()).isEqualTo(7);
    assertThat(e.path()).isEqualTo("models[0].prices[1]");
    assertThat(e.message()).contains("overlapping dates").contains("prices[0]").contains("2026-03-01T00:00:00Z");
  }

  @Test
  void aModelListedTwice() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input: 1
                output: 2
          - name: ACME
            prices:
              - effectiveFrom: 2026-01-01
                input: 1
                output: 2
        """);
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.message()).contains("repeats the model on line 2").contains("one entry's 'prices' list");
  }

  @Test
  void theSameNameForTwoProvidersIsFine() {
    PriceCatalog catalog = PriceCatalog.bundled().withUserFile("prices.yaml", """
        models:
          - name: acme
            provider: vllm
            prices: [{input: 1, output: 2}]
          - name: acme
            provider: ollama
            prices: [{input: 3, output: 4}]
        """.getBytes(StandardCharsets.UTF_8));
    assertThat(catalog.resolve("ollama", "acme").orElseThrow().inputPerToken()).isEqualByComparingTo("0.000003");
  }

  @Test
  void missingOrConflictingFields() {
    List<PriceFileError> errors = rejected("prices.yaml", """
        models:
          - prices:
              - input: 1
                output: 2
          - name: a
            regex: "a.*"
            prices:
              - input: 1
                output: 2
          - name: b
            prices:
              - output: 2
          - name: c
            prices:
              - input: 1
          - name: d
        """).errors();
    assertThat(errors).extracting(PriceFileError::line).containsExactly(2, 6, 12, 15, 16);
    assertThat(errors.get(0).message()).contains("missing 'name'");
    assertThat(errors.get(1).message()).contains("either 'name' or 'regex', not both");
    assertThat(errors.get(2).message()).contains("missing 'input'");
    assertThat(errors.get(3).message()).contains("missing 'output'").contains("mode: embedding");
    assertThat(errors.get(4).message()).contains("missing 'prices'");
  }

  @Test
  void tiersOutOfOrder() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input: 1
                output: 2
                tiers:
                  - aboveInputTokens: 200000
                    input: 2
                  - aboveInputTokens: 128000
                    input: 1.5
        """);
    assertThat(e.line()).isEqualTo(9);
    assertThat(e.path()).isEqualTo("models[0].prices[0].tiers[1].aboveInputTokens");
    assertThat(e.message()).contains("ascending").contains("128000 comes after 200000");
  }

  @Test
  void badTierThreshold() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input: 1
                output: 2
                tiers:
                  - aboveInputTokens: 1.5
                    input: 2
        """);
    assertThat(e.message()).contains("whole number of tokens").contains("1.5");
  }

  @Test
  void unknownModeAndVersion() {
    List<PriceFileError> errors = rejected("prices.yaml", """
        version: 2
        models:
          - name: acme
            mode: image
            prices: [{input: 1, output: 2}]
        """).errors();
    assertThat(errors).hasSize(2);
    assertThat(errors.get(0).message()).contains("unsupported version 2");
    assertThat(errors.get(1).line()).isEqualTo(4);
    assertThat(errors.get(1).message()).contains("unknown mode 'image'");
  }

  @Test
  void duplicateKey() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices:
              - input: 1
                output: 2
                input: 3
        """);
    assertThat(e.line()).isEqualTo(6);
    assertThat(e.message()).contains("duplicate field 'input' (also on line 4)");
  }

  @Test
  void yamlSyntaxError() {
    PriceFileError e = only("prices.yaml", """
        models:
          - name: acme
            prices: [{input: 1, output: 2}
          - name: b
        """);
    assertThat(e.line()).isGreaterThanOrEqualTo(3);
    assertThat(e.message()).startsWith("syntax error: ").doesNotContain("^").doesNotContain("\n");
  }

  @Test
  void jsonErrorsAreLocatedToo() {
    PriceFileError e = only("prices.json", """
        {
          "models": [
            {"name": "acme",
             "prices": [{"input": 1, "output": 2, "reasoning": -1}]}
          ]
        }
        """);
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.column()).isEqualTo(56);
    assertThat(e.path()).isEqualTo("models[0].prices[0].reasoning");

    PriceFileError syntax = only("prices.json", "{\n  \"models\": [\n    {\"name\": \"acme\",}\n  ]\n}\n");
    assertThat(syntax.line()).isEqualTo(3);
    assertThat(syntax.message()).startsWith("syntax error: ");
  }

  @Test
  void theFileMustHaveAModelsList() {
    assertThat(only("prices.yaml", "").message()).contains("empty");
    assertThat(only("prices.yaml", "- name: acme\n").message()).contains("mapping with a 'models' list");
    assertThat(rejected("prices.yaml", "modles: []\n").errors().get(0).message()).contains("did you mean 'models'?");
    assertThat(only("prices.yaml", "models: {name: acme}\n").message()).contains("must be a list");
    // an empty list is a valid file: no prices of your own
    assertThat(PriceCatalog.bundled().withUserFile("prices.yaml", "models: []\n".getBytes(StandardCharsets.UTF_8))
        .size()).isEqualTo(PriceCatalog.bundled().size());
  }

  @Test
  void theFileTypeComesFromItsName() {
    assertThat(only("prices.txt", "models: []").message()).contains(".yaml, *.yml or *.json");
  }

  @Test
  void aMissingFileIsAnErrorToo() {
    PriceFileException e = catchThrowableOfType(PriceFileException.class,
        () -> PriceCatalog.bundled().withUserFile(Path.of("does-not-exist.yaml")));
    assertThat(e.errors()).singleElement().satisfies(err -> {
      assertThat(err.line()).isZero();
      assertThat(err.message()).contains("cannot read the file").contains("NoSuchFile");
    });
  }

  @Test
  void everyErrorIsReportedAndNoneCarriesAStackTrace() {
    PriceFileException e = rejected("prices.yaml", """
        models:
          - name: a
            prices: [{input: -1, output: 2}]
          - name: b
            prices: [{input: 1, output: x}]
          - regex: "("
            prices: [{input: 1, output: 2}]
        """);
    assertThat(e.errors()).extracting(PriceFileError::line).containsExactly(3, 5, 6);
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.getMessage())
        .startsWith("invalid price file prices.yaml (3 errors):")
        .contains("\n  prices.yaml:3:")
        .contains("\n  prices.yaml:5:")
        .contains("\n  prices.yaml:6:");
  }
}
