package dev.sightline.embeddings;

import java.util.List;

/**
 * Sentence embeddings computed in-process: all-MiniLM-L6-v2 (int8) on ONNX Runtime, mean-pooled
 * and L2-normalized, so the cosine of two vectors is their dot product.
 */
public final class SentenceEmbedder implements AutoCloseable {

  private SentenceEmbedder() {}

  /** Loads the bundled model; throws IllegalStateException with the reason when it cannot. */
  public static SentenceEmbedder load() {
    throw new IllegalStateException("the sentence embedding model is not built yet");
  }

  /** One unit vector per text, in order; texts are truncated to the model's token limit. */
  public float[][] embed(List<String> texts) {
    throw new IllegalStateException("the sentence embedding model is not built yet");
  }

  public int dimensions() {
    return 384;
  }

  /** Cosine similarity of two unit vectors (their dot product). */
  public static float cosine(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Override
  public void close() {}
}
