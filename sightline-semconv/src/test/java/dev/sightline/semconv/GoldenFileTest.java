package dev.sightline.semconv;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.model.LogRecord;
import dev.sightline.model.Span;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: for every file in {@code shared/fixtures/otlp}, the canonical records the normalizer
 * makes of it, as readable JSON under {@code src/test/resources/golden/}. A mapping change shows up as a
 * diff there. To regenerate after an intended change, run
 * {@code ./mvnw -q -o -B -pl sightline-semconv test -Dsightline.updateGolden=true}, then review the diff
 * by hand: {@link FixtureFactsTest} pins the key numbers independently, so a wrong golden still fails.
 */
class GoldenFileTest {
  private static final Path GOLDEN_DIR = Path.of("src/test/resources/golden");
  private static final boolean UPDATE = Boolean.getBoolean("sightline.updateGolden");
  private static final SpanNormalizer NORMALIZER = SpanNormalizer.create();

  static Stream<String> fixtures() {
    return Fixtures.all().stream();
  }

  @Test
  void everyFixtureFileIsCovered() {
    assertThat(Fixtures.all()).hasSizeGreaterThanOrEqualTo(20);
  }

  @ParameterizedTest
  @MethodSource("fixtures")
  void matchesGolden(String fixture) throws IOException {
    // Through text and back, so numbers compare by value and not by Jackson node type.
    JsonNode actual = Fixtures.JSON.readTree(Fixtures.JSON.writeValueAsString(render(fixture)));
    Path golden = GOLDEN_DIR.resolve(fixture.replace('/', '_').replace(".json", ".golden.json"));
    if (UPDATE) {
      Files.createDirectories(GOLDEN_DIR);
      Files.writeString(golden, Fixtures.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(actual) + "\n");
    }
    assertThat(golden).as("golden file for %s (regenerate with -Dsightline.updateGolden=true)", fixture)
        .exists();
    JsonNode expected = Fixtures.JSON.readTree(golden.toFile());
    assertThat(actual).as("normalized %s vs %s", fixture, golden).isEqualTo(expected);
  }

  /** What one fixture file becomes: normalized spans, joined log events, or a schema's rules. */
  static JsonNode render(String fixture) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("fixture", fixture);
    if (fixture.startsWith("genai-semconv-schemas/")) {
      out.set("schema", schemaRules(Fixtures.read(fixture)));
      return out;
    }
    ArrayNode spans = out.putArray("spans");
    for (Span s : Fixtures.spans(fixture)) {
      spans.add(GoldenView.span(NORMALIZER.normalize(s)));
    }
    JsonNode root = Fixtures.read(fixture);
    if (root.has("resourceLogs")) {
      ArrayNode events = out.putArray("logEvents");
      for (LogRecord l : Fixtures.otlpLogs(root)) {
        events.add(GoldenView.logEvent(l));
      }
    }
    return out;
  }

  /** The part types and required fields a JSON Schema of GenAI messages defines. */
  static ObjectNode schemaRules(JsonNode schema) {
    ObjectNode rules = JsonNodeFactory.instance.objectNode();
    rules.put("title", schema.path("title").asText());
    ObjectNode types = rules.putObject("requiredByPartType");
    ObjectNode objects = rules.putObject("requiredByObject");
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("$defs").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> def = it.next();
      JsonNode constType = def.getValue().path("properties").path("type").path("const");
      ArrayNode required = JsonNodeFactory.instance.arrayNode();
      def.getValue().path("required").forEach(required::add);
      if (constType.isTextual()) {
        types.set(constType.asText(), required);
      } else if (!required.isEmpty()) {
        objects.set(def.getKey(), required);
      }
    }
    return rules;
  }

  /**
   * Every message the normalizer produced from every fixture satisfies the v1.41.1 schemas: messages
   * have a role and parts, every part has a type, and parts of a type the schema defines carry its
   * required fields.
   */
  @Test
  void producedContentConformsToGenAiSchemas() {
    JsonNode input = schemaRules(Fixtures.read("genai-semconv-schemas/gen-ai-input-messages.json"));
    JsonNode output = schemaRules(Fixtures.read("genai-semconv-schemas/gen-ai-output-messages.json"));
    JsonNode system = schemaRules(Fixtures.read("genai-semconv-schemas/gen-ai-system-instructions.json"));
    JsonNode tools = schemaRules(Fixtures.read("genai-semconv-schemas/gen-ai-tool-definitions.json"));
    int checkedMessages = 0;
    for (String f : Fixtures.all()) {
      for (Span s : Fixtures.spans(f)) {
        Span n = NORMALIZER.normalize(s);
        if (n.llm() == null) {
          continue;
        }
        JsonNode content = GoldenView.content(n.llm().content());
        boolean reasonsKnown = !n.llm().outcome().finishReasons().isEmpty();
        checkedMessages += checkMessages(f, content.path("inputMessages"), input, "ChatMessage", true);
        checkedMessages += checkMessages(f, content.path("outputMessages"), output, "OutputMessage", reasonsKnown);
        for (JsonNode part : content.path("systemInstructions")) {
          checkPart(f, part, system);
        }
        for (JsonNode def : content.path("toolDefinitions")) {
          List<String> required = new ArrayList<>();
          tools.path("requiredByPartType").path(def.path("type").asText()).forEach(r -> required.add(r.asText()));
          assertThat(def.has("type")).as("%s tool definition %s has a type", f, def).isTrue();
          required.forEach(r -> assertThat(def.has(r)).as("%s tool definition has %s: %s", f, r, def).isTrue());
        }
      }
    }
    assertThat(checkedMessages).isGreaterThan(20);
  }

  /**
   * The schema requires {@code finish_reason} on output messages; where the source reported none,
   * Sightline leaves it out rather than invent one.
   */
  private static int checkMessages(String f, JsonNode messages, JsonNode rules, String objectName,
      boolean finishReasonKnown) {
    int n = 0;
    for (JsonNode m : messages) {
      for (JsonNode r : rules.path("requiredByObject").path(objectName)) {
        if (r.asText().equals("finish_reason") && !finishReasonKnown) {
          continue;
        }
        assertThat(m.has(r.asText())).as("%s: message %s has %s", f, m, r.asText()).isTrue();
      }
      assertThat(m.path("role").isTextual()).as("%s: role of %s", f, m).isTrue();
      for (JsonNode part : m.path("parts")) {
        checkPart(f, part, rules);
      }
      n++;
    }
    return n;
  }

  private static void checkPart(String f, JsonNode part, JsonNode rules) {
    assertThat(part.path("type").isTextual()).as("%s: part %s has a type", f, part).isTrue();
    TreeSet<String> missing = new TreeSet<>();
    for (JsonNode r : rules.path("requiredByPartType").path(part.path("type").asText())) {
      if (!part.has(r.asText())) {
        missing.add(r.asText());
      }
    }
    assertThat(missing).as("%s: part %s lacks required fields", f, part).isEmpty();
  }
}
