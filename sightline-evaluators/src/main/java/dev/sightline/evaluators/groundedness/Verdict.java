package dev.sightline.evaluators.groundedness;

import dev.sightline.evaluators.text.Sentence;
import java.util.List;

/**
 * What the check found for one answer sentence.
 *
 * @param supported true or false, null when the sentence states nothing checkable
 * @param reasons why it is unsupported (empty when supported)
 * @param best the index of the best-matching context sentence, -1 if none
 * @param similarity the similarity to that sentence, 0..1
 */
record Verdict(Sentence sentence, Boolean supported, List<String> reasons, int best, double similarity) {}
