package dev.sightline.evaluators;

import dev.sightline.model.LlmCall;
import java.util.List;

/**
 * What an evaluator judges: one LLM call, the answer it gave and the prompt it was asked, as plain
 * text, and the context the answer should rest on (retrieved documents, tool results, system and
 * user messages of the same trace).
 *
 * @param call the stored call (its trace and span ids name the scores)
 * @param answer the call's output text (assistant messages joined), empty when there is none
 * @param prompt the user-authored input text (user messages joined), empty when there is none
 * @param context the passages the answer may rest on, in trace order; may be empty
 */
public record EvaluationInput(LlmCall call, String answer, String prompt, List<ContextPassage> context) {
  public EvaluationInput {
    answer = answer == null ? "" : answer;
    prompt = prompt == null ? "" : prompt;
    context = context == null ? List.of() : List.copyOf(context);
  }

  public String traceId() {
    return call.context() == null ? null : call.context().traceId();
  }

  public String spanId() {
    return call.context() == null ? null : call.context().spanId();
  }
}
