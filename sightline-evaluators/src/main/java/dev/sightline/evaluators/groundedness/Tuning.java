package dev.sightline.evaluators.groundedness;

/** The thresholds of the groundedness check, tuned on the dev split of the labelled set only. */
final class Tuning {
  /** Below this best-match similarity a sentence without facts is taken as invented. */
  static final double INVENTED_SIMILARITY = 0.30;
  /** A clause whose terms the context covers less than this is invented… */
  static final double INVENTED_COVERAGE = 0.4;
  /** …when at least this many of its terms are new. */
  static final int INVENTED_UNKNOWN_TERMS = 3;
  /** A clause matching a context sentence at least this well must agree with its polarity. */
  static final double POLARITY_SIMILARITY = 0.6;
  /** A context sentence this close with the clause's own polarity keeps the clause from contradiction. */
  static final double AGREEING_SIMILARITY = 0.4;
  /** A positive clause restating at least this much of a negative context sentence contradicts it. */
  static final double DENIAL_CONTAINMENT = 0.6;
  /** A clause without its name must match a sentence naming another case at least this well… */
  static final double ENTITY_SWAP_SIMILARITY = 0.7;
  /** …and that much better than any sentence naming the clause's own case. */
  static final double ENTITY_SWAP_LEAD = 0.25;
  /** Weight of the embedding cosine in the combined similarity when an embedder is present. */
  static final double EMBEDDING_WEIGHT = 0.5;

  private Tuning() {}
}
