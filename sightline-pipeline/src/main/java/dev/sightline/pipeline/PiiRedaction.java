package dev.sightline.pipeline;

import dev.sightline.model.CallContext;
import dev.sightline.model.Content;
import dev.sightline.model.LlmCall;
import dev.sightline.model.LogRecord;
import dev.sightline.model.Score;
import dev.sightline.model.Span;
import dev.sightline.model.SpanEvent;
import dev.sightline.model.TelemetryBatch;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The "redact" step for content (ARCHITECTURE.md §2, §8): applies the {@link PiiMode} to a
 * normalized batch, so that every string that reaches the store (attribute values, event and log
 * bodies, status messages, span names, canonical content, score explanations) has been masked, or,
 * in drop mode, content is not there at all. Records with nothing to mask come back as the same
 * instances.
 */
final class PiiRedaction {
  /** Attributes that carry prompts, responses, tool arguments or retrieved documents (by convention). */
  private static final Set<String> CONTENT_KEYS = Set.of(
      // OTel GenAI semantic conventions (current and deprecated)
      "gen_ai.input.messages", "gen_ai.output.messages", "gen_ai.system_instructions", "gen_ai.tool.definitions",
      "gen_ai.prompt", "gen_ai.completion", "gen_ai.tool.call.arguments", "gen_ai.tool.call.result",
      // OpenInference
      "input.value", "output.value", "llm.prompt_template.template", "llm.prompt_template.variables",
      // Traceloop / OpenLLMetry
      "traceloop.entity.input", "traceloop.entity.output",
      // Langfuse
      "langfuse.observation.input", "langfuse.observation.output", "langfuse.trace.input", "langfuse.trace.output",
      // MLflow
      "mlflow.spanInputs", "mlflow.spanOutputs",
      // Vercel AI SDK
      "ai.prompt", "ai.prompt.messages", "ai.prompt.tools", "ai.response.text", "ai.response.toolCalls",
      "ai.response.object", "ai.response.reasoning", "ai.toolCall.args", "ai.toolCall.result");
  private static final String[] CONTENT_PREFIXES = {"llm.input_messages.", "llm.output_messages.", "llm.prompts.",
      "llm.tools.", "llm.request.functions.", "retrieval.documents.", "reranker.input_documents.",
      "reranker.output_documents.", "embedding.embeddings."};
  /** GenAI events (span events or log records) whose payload is a message or the whole conversation. */
  private static final Set<String> CONTENT_EVENTS = Set.of("gen_ai.content.prompt", "gen_ai.content.completion",
      "gen_ai.system.message", "gen_ai.user.message", "gen_ai.assistant.message", "gen_ai.tool.message",
      "gen_ai.choice", "gen_ai.client.inference.operation.details");

  private final PiiMode mode;
  private final PiiMasker masker;
  private final PiiCounters counters;

  PiiRedaction(PiiMode mode, PiiCounters counters) {
    this.mode = mode;
    this.counters = counters;
    this.masker = new PiiMasker(counters);
  }

  static boolean isContentKey(String key) {
    if (CONTENT_KEYS.contains(key)) {
      return true;
    }
    for (String p : CONTENT_PREFIXES) {
      if (key.startsWith(p)) {
        return true;
      }
    }
    return indexedUnder(key, "gen_ai.prompt.") || indexedUnder(key, "gen_ai.completion.");
  }

  private static boolean isContentEvent(String name) {
    return name != null && CONTENT_EVENTS.contains(name);
  }

  /** {@code gen_ai.prompt.0.content} is content; {@code gen_ai.prompt.name} is not. */
  private static boolean indexedUnder(String key, String prefix) {
    return key.length() > prefix.length() && key.startsWith(prefix) && Character.isDigit(key.charAt(prefix.length()));
  }

  TelemetryBatch apply(TelemetryBatch batch) {
    if (mode == PiiMode.OFF) {
      return batch;
    }
    // Spans of one resource usually share its attribute map: mask it once.
    Map<Map<String, Object>, Map<String, Object>> resources = new IdentityHashMap<>();
    Pass pass = new Pass();
    List<Span> spans = SecretRedactor.mapUnlessSame(batch.spans(), s -> pass.span(s, resources));
    List<LogRecord> logs = SecretRedactor.mapUnlessSame(batch.logs(), r -> pass.log(r, resources));
    List<Score> scores = SecretRedactor.mapUnlessSame(batch.scores(), pass::score);
    if (spans == batch.spans() && logs == batch.logs() && scores == batch.scores()) {
      return batch;
    }
    return new TelemetryBatch(batch.receiver(), spans, logs, batch.metrics(), scores, batch.project());
  }

  /**
   * One batch's pass. Long texts are masked once per batch even where they appear twice (the
   * normalizer hands {@code gen_ai.input.messages} on to the canonical content as the same string).
   */
  private final class Pass {
    private final Map<String, String> masked = new IdentityHashMap<>();

    String mask(String text) {
      if (text == null || text.length() < 256) {
        return masker.mask(text);
      }
      return masked.computeIfAbsent(text, masker::mask);
    }

    private Content content(Content c) {
      if (c == null || c.isEmpty()) {
        return c;
      }
      String in = mask(c.inputMessagesJson());
      String out = mask(c.outputMessagesJson());
      String system = mask(c.systemInstructionsJson());
      String tools = mask(c.toolDefinitionsJson());
      return in == c.inputMessagesJson() && out == c.outputMessagesJson() && system == c.systemInstructionsJson()
          && tools == c.toolDefinitionsJson() ? c : new Content(in, out, system, tools);
    }

    private Span span(Span s, Map<Map<String, Object>, Map<String, Object>> resources) {
      Map<String, Object> attrs = attributes(s.attributes(), mode == PiiMode.DROP);
      Map<String, Object> resource = resources.computeIfAbsent(s.resourceAttributes(), r -> attributes(r, false));
      List<SpanEvent> events = events(s.events());
      String name = mask(s.name());
      String status = mask(s.statusMessage());
      LlmCall llm = call(s.llm());
      if (attrs == s.attributes() && resource == s.resourceAttributes() && events == s.events() && name == s.name()
          && status == s.statusMessage() && llm == s.llm()) {
        return s;
      }
      return new Span(s.traceId(), s.spanId(), s.parentSpanId(), name, s.kind(), s.startEpochNanos(),
          s.endEpochNanos(), s.status(), status, s.service(), s.scopeName(), attrs, resource, events, s.category(), llm,
          s.unmappedAttributes());
    }

    private List<SpanEvent> events(List<SpanEvent> events) {
      if (events.isEmpty()) {
        return events;
      }
      List<SpanEvent> out = null;
      for (int i = 0; i < events.size(); i++) {
        SpanEvent e = events.get(i);
        SpanEvent after;
        if (mode == PiiMode.DROP && isContentEvent(e.name())) {
          counters.dropped(1);
          after = null;
        } else {
          Map<String, Object> attrs = attributes(e.attributes(), mode == PiiMode.DROP);
          Object body = value(e.body());
          after = attrs == e.attributes() && body == e.body() ? e
              : new SpanEvent(e.name(), e.timeEpochNanos(), attrs, body);
        }
        if (after != e && out == null) {
          out = new ArrayList<>(events.subList(0, i));
        }
        if (out != null && after != null) {
          out.add(after);
        }
      }
      return out == null ? events : out;
    }

    private LlmCall call(LlmCall call) {
      if (call == null) {
        return null;
      }
      Content content = call.content();
      if (mode == PiiMode.DROP) {
        counters.dropped(fields(content));
        content = Content.NONE;
      } else {
        content = content(content);
      }
      CallContext c = call.context();
      CallContext context = c;
      if (c != null) {
        String route = mask(c.route());
        String session = mask(c.sessionId());
        String user = mask(c.userId());
        List<String> tags = SecretRedactor.mapUnlessSame(c.tags(), this::mask);
        if (route != c.route() || session != c.sessionId() || user != c.userId() || tags != c.tags()) {
          context = new CallContext(c.traceId(), c.spanId(), c.service(), route, session, user, c.promptName(),
              c.promptVersion(), tags);
        }
      }
      if (content == call.content() && context == c) {
        return call;
      }
      return call.withContent(content).withContext(context);
    }

    private static int fields(Content c) {
      return (c.inputMessagesJson() != null ? 1 : 0) + (c.outputMessagesJson() != null ? 1 : 0)
          + (c.systemInstructionsJson() != null ? 1 : 0) + (c.toolDefinitionsJson() != null ? 1 : 0);
    }

    private LogRecord log(LogRecord r, Map<Map<String, Object>, Map<String, Object>> resources) {
      boolean dropContent = mode == PiiMode.DROP && isContentEvent(r.effectiveEventName());
      Object body;
      Map<String, Object> attrs;
      if (dropContent) {
        // A GenAI event's payload is the message itself: only its name and GenAI metadata stay.
        body = null;
        if (r.body() != null) {
          counters.dropped(1);
        }
        attrs = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : r.attributes().entrySet()) {
          String k = e.getKey();
          if ((k.equals("event.name") || k.startsWith("gen_ai.")) && !isContentKey(k)) {
            attrs.put(k, value(e.getValue()));
          } else {
            counters.dropped(1);
          }
        }
      } else {
        body = value(r.body());
        attrs = attributes(r.attributes(), mode == PiiMode.DROP);
      }
      Map<String, Object> resource = resources.computeIfAbsent(r.resourceAttributes(), m -> attributes(m, false));
      if (!dropContent && body == r.body() && attrs == r.attributes() && resource == r.resourceAttributes()) {
        return r;
      }
      return new LogRecord(r.timeEpochNanos(), r.observedEpochNanos(), r.traceId(), r.spanId(), r.severityNumber(),
          r.severityText(), r.eventName(), body, r.service(), r.scopeName(), attrs, resource);
    }

    private Score score(Score s) {
      String explanation = mask(s.explanation());
      String details = mask(s.detailsJson());
      String label = mask(s.label());
      if (explanation == s.explanation() && details == s.detailsJson() && label == s.label()) {
        return s;
      }
      return new Score(s.traceId(), s.spanId(), s.name(), s.value(), label, s.flagged(), explanation, s.source(),
          s.evaluator(), s.evaluatorVersion(), details, s.timeEpochNanos());
    }

    /** The attributes with string values masked, and content keys removed when {@code drop}; the same map if unchanged. */
    private Map<String, Object> attributes(Map<String, Object> attributes, boolean drop) {
      Map<String, Object> out = null;
      int i = 0;
      for (Map.Entry<String, Object> e : attributes.entrySet()) {
        boolean remove = drop && isContentKey(e.getKey());
        Object after = remove ? null : value(e.getValue());
        if ((remove || after != e.getValue()) && out == null) {
          out = new LinkedHashMap<>(attributes.size() * 2);
          int k = 0;
          for (Map.Entry<String, Object> before : attributes.entrySet()) {
            if (k++ == i) {
              break;
            }
            out.put(before.getKey(), before.getValue());
          }
        }
        if (remove) {
          counters.dropped(1);
        } else if (out != null) {
          out.put(e.getKey(), after);
        }
        i++;
      }
      return out == null ? attributes : out;
    }

    /** A value with every string in it masked (lists and maps walked); the same object if unchanged. */
    private Object value(Object v) {
      if (v instanceof String s) {
        return mask(s);
      }
      if (v instanceof List<?> list) {
        @SuppressWarnings("unchecked")
        List<Object> l = (List<Object>) list;
        return SecretRedactor.mapUnlessSame(l, this::value);
      }
      if (v instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) map;
        return attributes(m, false);
      }
      return v;
    }
  }
}
