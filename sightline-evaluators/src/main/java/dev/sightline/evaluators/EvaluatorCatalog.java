package dev.sightline.evaluators;

import dev.sightline.embeddings.SentenceEmbedder;
import dev.sightline.evaluators.groundedness.GroundednessEvaluator;
import dev.sightline.evaluators.safety.CommitmentEvaluator;
import dev.sightline.evaluators.safety.InjectionEvaluator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sightline's built-in evaluators by name: what {@code --evaluators} chooses from. */
public final class EvaluatorCatalog {
  private static final Logger log = LoggerFactory.getLogger(EvaluatorCatalog.class);
  public static final List<String> NAMES = List.of("groundedness", "commitment", "injection");

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
    List<Evaluator> out = new ArrayList<>();
    for (String n : names) {
      switch (n) {
        case "groundedness" -> out.add(new GroundednessEvaluator(embeddings ? embedder() : null));
        case "commitment" -> out.add(new CommitmentEvaluator());
        case "injection" -> out.add(new InjectionEvaluator());
        default -> throw new IllegalArgumentException("unknown evaluator '" + n + "'; known: "
            + String.join(", ", NAMES));
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
