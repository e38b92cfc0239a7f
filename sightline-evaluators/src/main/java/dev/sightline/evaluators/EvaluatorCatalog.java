package dev.sightline.evaluators;

import dev.sightline.embeddings.SentenceEmbedder;
import dev.sightline.evaluators.groundedness.GroundednessEvaluator;
import dev.sightline.evaluators.judge.JudgeEvaluator;
import dev.sightline.evaluators.judge.JudgeSettings;
import dev.sightline.evaluators.safety.CommitmentEvaluator;
import dev.sightline.evaluators.safety.InjectionEvaluator;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sightline's built-in evaluators by name: what {@code --evaluators} chooses from. */
public final class EvaluatorCatalog {
  private static final Logger log = LoggerFactory.getLogger(EvaluatorCatalog.class);
  /** The built-in evaluators that need nothing but this process (the default set). */
  public static final List<String> NAMES = List.of("groundedness", "commitment", "injection");
  /** The LLM judge: needs a judge model ({@code --judge-url}, {@code --judge-model}). */
  public static final String JUDGE = JudgeEvaluator.NAME;

  /**
   * One embedding model per process, loaded on first use and kept for the process's life: it is
   * thread-safe, costs ≈ 130 MB of native memory and a second to load, and servers started one
   * after another in a process (tests, tools) share it.
   */
  private static SentenceEmbedder sharedEmbedder;
  private static String embedderFailure;

  private EvaluatorCatalog() {}

  /**
   * The named evaluators, ready to run. With {@code embeddings}, groundedness blends sentence
   * embeddings into its similarity; when the model cannot load (no native runtime for this
   * platform, a temp dir that forbids running code) it says why in the log and runs lexically.
   */
  public static List<Evaluator> create(List<String> names, boolean embeddings) {
    return create(names, embeddings, null, null);
  }

  /**
   * As {@link #create(List, boolean)}, with the LLM judge ({@link #JUDGE}) among the names it may
   * take: {@code judge} says which model, {@code sightlineBase} gives Sightline's own HTTP base URL
   * (null until the port is bound), whose gateway the judge is called through.
   */
  public static List<Evaluator> create(List<String> names, boolean embeddings, JudgeSettings judge,
      Supplier<URI> sightlineBase) {
    List<Evaluator> out = new ArrayList<>();
    for (String n : names) {
      switch (n) {
        case JUDGE -> {
          if (judge == null || sightlineBase == null) {
            throw new IllegalArgumentException("the evaluator " + JUDGE + " needs a judge model: set --judge-url and"
                + " --judge-model");
          }
          out.add(new JudgeEvaluator(judge, sightlineBase));
        }
        case "groundedness" -> out.add(new GroundednessEvaluator(embeddings ? embedder() : null));
        case "commitment" -> out.add(new CommitmentEvaluator());
        case "injection" -> out.add(new InjectionEvaluator());
        default -> throw new IllegalArgumentException("unknown evaluator '" + n + "'; known: "
            + String.join(", ", NAMES) + ", " + JUDGE);
      }
    }
    return out;
  }

  private static synchronized SentenceEmbedder embedder() {
    if (sharedEmbedder == null && embedderFailure == null) {
      try {
        sharedEmbedder = SentenceEmbedder.load();
      } catch (RuntimeException | LinkageError e) {
        embedderFailure = String.valueOf(e.getMessage());
        log.warn("The sentence embedding model could not be loaded ({}); groundedness runs on lexical similarity"
            + " only. Start with --eval-embeddings off to skip the attempt.", embedderFailure);
      }
    }
    return sharedEmbedder;
  }
}
