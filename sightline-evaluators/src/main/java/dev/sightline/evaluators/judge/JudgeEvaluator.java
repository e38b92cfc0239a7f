package dev.sightline.evaluators.judge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.EvaluationInput;
import dev.sightline.evaluators.EvaluationPolicy;
import dev.sightline.evaluators.Evaluator;
import dev.sightline.evaluators.text.Sentence;
import dev.sightline.model.Score;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Groundedness judged by an LLM: each answer sentence is put to a judge model on any
 * OpenAI-compatible server, which says whether the context supports it. The judge is called through
 * Sightline's own gateway (route {@value #GATEWAY_ROUTE}), so its calls are traced and priced like
 * any other; they carry service {@value #SERVICE}, which the evaluation policy never samples.
 */
public final class JudgeEvaluator implements Evaluator, AutoCloseable {
  public static final String NAME = "judge.groundedness";
  public static final String VERSION = "1";
  /** The gateway's named route that forwards to the judge's server. */
  public static final String GATEWAY_ROUTE = "judge";
  /** The service and route the judge's own calls are recorded under. */
  public static final String SERVICE = "sightline-judge";
  public static final String ROUTE = NAME;
  private static final int MAX_RESPONSE_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JudgeSettings settings;
  private final Supplier<URI> sightlineBase;
  private final HttpClient http;
  /** Off once the judge's server has rejected {@code response_format}: the strict prompt then carries it alone. */
  private volatile boolean jsonMode = true;

  /**
   * @param settings the judge's server, model, key and timeout
   * @param sightlineBase Sightline's own HTTP base URL (e.g. {@code http://127.0.0.1:7700}), known once
   *     its port is bound; null until then
   */
  public JudgeEvaluator(JudgeSettings settings, Supplier<URI> sightlineBase) {
    this.settings = settings;
    this.sightlineBase = sightlineBase;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(settings.timeout().compareTo(Duration.ofSeconds(10)) < 0 ? settings.timeout()
            : Duration.ofSeconds(10))
        .build();
  }

  /** {@code policy} with the judge's own calls never sampled: judging the judge would loop. */
  public static EvaluationPolicy withoutOwnCalls(EvaluationPolicy policy) {
    Map<String, Double> services = new HashMap<>(policy.serviceRates());
    services.put(SERVICE, 0.0);
    Map<String, Double> routes = new HashMap<>(policy.routeRates());
    routes.put(ROUTE, 0.0); // a route's rate beats a service's: this one must hold too
    return new EvaluationPolicy(policy.defaultRate(), routes, services);
  }

  public JudgeSettings settings() {
    return settings;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String version() {
    return VERSION;
  }

  @Override
  public List<Score> evaluate(EvaluationInput input) {
    String traceId = null;
    String spanId = null;
    try {
      traceId = input == null || input.call() == null ? null : input.traceId();
      spanId = input == null || input.call() == null ? null : input.spanId();
      return List.of(judge(input, traceId, spanId));
    } catch (RuntimeException | StackOverflowError e) {
      return List.of(notEvaluated(traceId, spanId, "the check failed: " + e.getClass().getSimpleName()));
    }
  }

  private Score judge(EvaluationInput input, String traceId, String spanId) {
    if (input == null) {
      return notEvaluated(null, null, "no input");
    }
    if (input.call() != null && input.call().context() != null
        && SERVICE.equals(input.call().context().service())) {
      return notEvaluated(traceId, spanId, "this is the judge's own call");
    }
    List<Sentence> sentences = JudgePrompt.sentences(input.answer());
    if (sentences.isEmpty()) {
      return notEvaluated(traceId, spanId, "empty answer");
    }
    List<ContextPassage> passages = JudgePrompt.passages(input);
    if (passages.isEmpty()) {
      return notEvaluated(traceId, spanId, "no context to check against");
    }
    URI base = sightlineBase.get();
    if (base == null) {
      return notEvaluated(traceId, spanId, "Sightline's HTTP port is not open yet, so the judge cannot be called");
    }
    JudgePrompt prompt = JudgePrompt.of(sentences, passages);
    JudgeAnswer answer = ask(base, prompt, traceId);
    if (!answer.ok()) {
      return notEvaluated(traceId, spanId, answer.failure());
    }
    return score(traceId, spanId, prompt, answer);
  }

  /** One judgement: at most one request in flight per evaluator thread (this call blocks). */
  JudgeAnswer ask(URI base, JudgePrompt prompt, String traceId) {
    URI endpoint = URI.create(base.toString().replaceAll("/+$", "") + "/gateway/" + GATEWAY_ROUTE
        + "/chat/completions");
    boolean json = jsonMode;
    try {
      Reply r = post(endpoint, prompt.requestBody(settings.model(), json), traceId);
      if (json && (r.status == 400 || r.status == 422) && r.body.contains("response_format")) {
        jsonMode = false; // e.g. an older llama.cpp server: ask again with the prompt alone
        r = post(endpoint, prompt.requestBody(settings.model(), false), traceId);
      }
      if (r.status / 100 != 2) {
        return JudgeAnswer.failed("the judge answered HTTP " + r.status + errorMessage(r.body), null);
      }
      return JudgeAnswer.fromCompletion(r.body, prompt.sentences.size());
    } catch (HttpTimeoutException e) {
      return JudgeAnswer.failed("the judge did not answer within " + seconds(settings.timeout())
          + " (--judge-timeout)", null);
    } catch (ConnectException e) {
      return JudgeAnswer.failed("Sightline's gateway at " + base + " could not be reached to call the judge", null);
    } catch (IOException e) {
      return JudgeAnswer.failed("the judge could not be called: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : " " + scrub(JudgeAnswer.shorten(e.getMessage(), 200))), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the evaluators are closing
      return JudgeAnswer.failed("Sightline was shutting down during the judge's call", null);
    }
  }

  private record Reply(int status, String body) {}

  private Reply post(URI endpoint, String body, String traceId) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(endpoint).timeout(settings.timeout())
        .header("content-type", "application/json")
        .header("x-sightline-service", SERVICE)
        .header("x-sightline-route", ROUTE)
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (traceId != null) {
      b.header("x-sightline-tags", "judged-trace=" + traceId); // finds the judged call from the judge's
    }
    if (settings.apiKey() != null) {
      b.header("authorization", "Bearer " + settings.apiKey());
    }
    if (settings.sightlineKey() != null) {
      b.header("x-sightline-key", settings.sightlineKey());
    }
    HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] bytes = in.readNBytes(MAX_RESPONSE_BYTES);
      return new Reply(r.statusCode(), new String(bytes, StandardCharsets.UTF_8));
    }
  }

  /** The error's message from an OpenAI-style error body, for the reason; never the key. */
  private String errorMessage(String body) {
    try {
      JsonNode n = JSON.readTree(body);
      JsonNode m = n == null ? null : n.path("error").isTextual() ? n.get("error") : n.path("error").path("message");
      if (m != null && m.isTextual() && !m.asText().isBlank()) {
        return ": " + scrub(JudgeAnswer.shorten(m.asText().strip(), 200));
      }
    } catch (Exception e) {
      // not JSON: the status says enough
    }
    return "";
  }

  private String scrub(String s) {
    return settings.apiKey() == null ? s : s.replace(settings.apiKey(), "[api key]");
  }

  private Score score(String traceId, String spanId, JudgePrompt prompt, JudgeAnswer answer) {
    int checkable = 0;
    int supported = 0;
    int bad = 0;
    int firstBad = -1;
    for (int i = 0; i < answer.verdicts().size(); i++) {
      Boolean s = answer.verdicts().get(i).supported();
      if (s == null) {
        continue;
      }
      checkable++;
      if (s) {
        supported++;
      } else if (bad++ == 0) {
        firstBad = i;
      }
    }
    if (checkable == 0) {
      return notEvaluated(traceId, spanId, "the judge found no factual claim in the answer");
    }
    String model = answer.model() != null ? answer.model() : settings.model();
    String note = (prompt.contextTruncated ? " The judge saw the first " + JudgePrompt.CONTEXT_BUDGET + " of "
        + prompt.contextChars + " context characters." : "") + (prompt.answerTruncated ? " Only the first "
        + JudgePrompt.MAX_SENTENCES + " answer sentences were judged." : "");
    String explanation;
    if (firstBad < 0) {
      explanation = "the judge (" + model + ") found all " + checkable + " checkable sentence"
          + (checkable == 1 ? "" : "s") + " supported by the context." + note;
    } else {
      String reason = answer.verdicts().get(firstBad).reason().replaceAll("[.\\s]+$", "");
      explanation = "“" + JudgeAnswer.shorten(prompt.sentences.get(firstBad).text().strip(), 160) + "” — "
          + (reason.isEmpty() ? "not supported by the context, says the judge" : "the judge: " + reason)
          + (bad > 1 ? " (" + (bad - 1) + " more unsupported sentence" + (bad > 2 ? "s" : "") + ")" : "") + "."
          + note;
    }
    return new Score(traceId, spanId, NAME, supported / (double) checkable, firstBad < 0 ? "supported" : "unsupported",
        firstBad >= 0, explanation, Score.SOURCE_EVALUATOR, NAME, VERSION,
        details(prompt, answer, model, checkable, supported), System.currentTimeMillis() * 1_000_000L);
  }

  /** The groundedness check's shape, so the UI shows both alike: no passage or similarity, the judge's reason. */
  private static String details(JudgePrompt prompt, JudgeAnswer answer, String model, int checkable, int supported) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode list = root.putArray("sentences");
    for (int i = 0; i < prompt.sentences.size(); i++) {
      Sentence s = prompt.sentences.get(i);
      JudgeAnswer.Verdict v = answer.verdicts().get(i);
      ObjectNode n = list.addObject();
      n.put("text", JudgeAnswer.shorten(s.text(), 1000));
      n.put("start", s.start());
      n.put("end", s.end());
      if (v.supported() == null) {
        n.putNull("supported");
      } else {
        n.put("supported", v.supported());
      }
      ArrayNode reasons = n.putArray("reasons");
      if (!v.reason().isEmpty()) {
        reasons.add(v.reason());
      }
      n.putNull("passage");
      n.putNull("similarity");
    }
    root.put("checkable", checkable);
    root.put("supported", supported);
    root.put("judgeModel", model);
    root.put("contextChars", prompt.contextChars);
    root.put("contextTruncated", prompt.contextTruncated);
    root.put("answerTruncated", prompt.answerTruncated);
    return root.toString();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private Score notEvaluated(String traceId, String spanId, String reason) {
    return Score.notEvaluated(traceId, spanId, NAME, reason, NAME, VERSION, System.currentTimeMillis() * 1_000_000L);
  }

  /** Releases the HTTP client's threads. */
  @Override
  public void close() {
    http.close();
  }
}
