package dev.sightline.evaluators.safety;

import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.EvaluationInput;
import dev.sightline.model.CallContext;
import dev.sightline.model.LlmCall;
import java.util.List;

/** Builds evaluation inputs for the tests. */
final class Inputs {
  private Inputs() {}

  static EvaluationInput of(String answer, String prompt, String... passages) {
    LlmCall call = new LlmCall("openai", "chat", "gpt-4o", null, null, null, null, null, null,
        new CallContext("t1", "s1", "svc", null, null, null, null, null, null), null);
    return new EvaluationInput(call, answer, prompt,
        java.util.Arrays.stream(passages).map(p -> new ContextPassage("retrieval", "r1", "doc", p)).toList());
  }

  static List<ContextPassage> none() {
    return List.of();
  }
}
