package dev.sightline.semconv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden files for client scores: each file under {@code src/test/resources/client-scores/} holds an
 * OTLP/JSON request and, written by hand from the convention it follows, the scores it must give.
 * The requests are built to the specs (no real evaluation payload exists in shared/fixtures).
 */
class ClientScoresGoldenTest {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @ParameterizedTest
  @ValueSource(strings = {"otel-evaluation-span-events.json", "otel-evaluation-logs.json",
      "openinference-feedback.json"})
  void requestGivesTheExpectedScores(String file) throws IOException {
    JsonNode golden = read(file);
    JsonNode request = golden.get("request");
    List<Score> scores = new ArrayList<>();
    for (Span s : Fixtures.otlpSpans(request, List.of())) {
      scores.addAll(ClientScores.fromSpan(s));
      // Normalizing a span changes nothing about what it carries.
      assertThat(ClientScores.fromSpan(Spans.normalize(s))).isEqualTo(ClientScores.fromSpan(s));
    }
    for (LogRecord l : Fixtures.otlpLogs(request)) {
      scores.addAll(ClientScores.fromLog(l));
    }
    // Through text and back, so numbers compare by value and not by Jackson node type.
    JsonNode actual = Fixtures.JSON.readTree(Fixtures.JSON.writeValueAsString(render(scores)));
    JsonNode expected = Fixtures.JSON.readTree(Fixtures.JSON.writeValueAsString(golden.get("expectedScores")));
    assertThat(actual).as("scores of %s", file).isEqualTo(expected);
  }

  static JsonNode read(String file) throws IOException {
    try (InputStream in = ClientScoresGoldenTest.class.getResourceAsStream("/client-scores/" + file)) {
      assertThat(in).as(file).isNotNull();
      return Fixtures.JSON.readTree(in);
    }
  }

  static ArrayNode render(List<Score> scores) throws IOException {
    ArrayNode out = F.arrayNode();
    for (Score s : scores) {
      ObjectNode o = out.addObject();
      o.put("traceId", s.traceId());
      o.put("spanId", s.spanId());
      o.put("name", s.name());
      o.put("value", s.value());
      o.put("label", s.label());
      o.put("flagged", s.flagged());
      o.put("explanation", s.explanation());
      o.put("source", s.source());
      o.put("evaluator", s.evaluator());
      o.put("evaluatorVersion", s.evaluatorVersion());
      o.set("details", s.detailsJson() == null ? F.nullNode() : Fixtures.JSON.readTree(s.detailsJson()));
      o.put("timeEpochNanos", s.timeEpochNanos());
    }
    return out;
  }
}
