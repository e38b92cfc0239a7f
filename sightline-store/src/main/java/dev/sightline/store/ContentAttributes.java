package dev.sightline.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which stored attribute values are captured content (prompts, completions, messages, tool
 * arguments and results) rather than metadata, and how a span's or log's JSON columns look once
 * that content is cleared by retention.
 */
public final class ContentAttributes {
  private ContentAttributes() {}

  /** Attribute set on every span and log whose content retention cleared: what the API and UI show. */
  static final String MARKER = "sightline.content_expired";
  /** The marker as it appears in a stored attribute column (ValueJson writes no spaces). */
  public static final String MARKER_JSON = "\"" + MARKER + "\":true";

  /*
   * Key names from the sources the semconv module reads: OTel GenAI semantic conventions (current and
   * legacy gen_ai.prompt.N / gen_ai.completion.N), OpenInference (llm.input_messages.*, input.value),
   * the Vercel AI SDK (ai.prompt.*, ai.response.*, ai.toolCall.*), OpenLLMetry (traceloop.entity.*),
   * Langfuse and MLflow span inputs and outputs. gen_ai.prompt.name / .version stay: they name a
   * prompt template, they are not its text.
   */
  private static final String KEYS = "gen_ai\\.(input|output)\\.messages|gen_ai\\.system_instructions"
      + "|gen_ai\\.tool\\.definitions|gen_ai\\.(prompt|completion)(\\.[0-9][^\"]*)?"
      + "|gen_ai\\.tool\\.call\\.(arguments|result)|gen_ai\\.event\\.content|(input|output)\\.value"
      + "|llm\\.(input_messages|output_messages|prompts|tools)\\.[^\"]*|llm\\.prompt_template\\.variables"
      + "|ai\\.prompt(\\.messages|\\.tools)?|ai\\.response\\.(text|toolCalls|object)|ai\\.toolCall\\.(args|result)"
      + "|traceloop\\.entity\\.(input|output)|langfuse\\.(observation|trace)\\.(input|output)"
      + "|mlflow\\.span(Inputs|Outputs)";
  private static final Pattern KEY = Pattern.compile("(" + KEYS + ")");

  /** RE2 pattern (DuckDB's regexp_matches) finding a content key in a stored attribute column. */
  public static final String KEY_IN_JSON = "\"(" + KEYS + ")\":";
  /** RE2 pattern finding a GenAI event (whose body and payload attributes are content) in a stored event list. */
  public static final String GENAI_EVENT_IN_JSON = "\"name\":\"gen_ai\\.";

  static boolean isContent(String key) {
    return KEY.matcher(key).matches();
  }

  /** GenAI message and choice events carry their payload in the body and in attributes outside gen_ai.*. */
  static boolean isGenAiEvent(String name) {
    return name != null && name.startsWith("gen_ai.");
  }

  /** The attributes without content, plus the marker. */
  static Map<String, Object> cleared(Map<String, Object> attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    attributes.forEach((k, v) -> {
      if (!isContent(k)) {
        out.put(k, v);
      }
    });
    out.put(MARKER, true);
    return out;
  }

  /**
   * A GenAI event's attributes without content: its payload keys (role, content, tool_calls…: any
   * key outside gen_ai.* other than event.name) go too.
   */
  static Map<String, Object> clearedEvent(String name, Map<String, Object> attributes) {
    Map<String, Object> out = new LinkedHashMap<>();
    boolean genAi = isGenAiEvent(name);
    attributes.forEach((k, v) -> {
      boolean payload = genAi && !k.startsWith("gen_ai.") && !k.equals("event.name");
      if (!isContent(k) && !payload) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The stored event list (ValueJson of name, time, attributes, body) with content cleared. */
  @SuppressWarnings("unchecked")
  static String clearedEvents(String eventsJson) {
    if (!(ValueJson.read(eventsJson) instanceof List<?> events)) {
      return eventsJson;
    }
    List<Object> out = new ArrayList<>(events.size());
    for (Object o : events) {
      if (!(o instanceof Map<?, ?> m)) {
        out.add(o);
        continue;
      }
      Map<String, Object> e = new LinkedHashMap<>((Map<String, Object>) m);
      String name = e.get("name") instanceof String s ? s : null;
      if (e.get("attributes") instanceof Map<?, ?> attrs) {
        e.put("attributes", clearedEvent(name, (Map<String, Object>) attrs));
      }
      if (isGenAiEvent(name)) {
        e.remove("body");
      }
      out.add(e);
    }
    return ValueJson.write(out);
  }
}
