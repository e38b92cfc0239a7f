package dev.sightline.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled model embeds text into unit vectors whose cosine follows meaning. */
class SentenceEmbedderTest {

  private static final String REFUND = "The refund is issued within 14 days.";
  private static final String REFUND_PARAPHRASE = "Refunds are paid back in two weeks.";
  private static final String CAT = "The cat sat on the mat.";

  private static SentenceEmbedder embedder;

  @BeforeAll
  static void load() {
    embedder = SentenceEmbedder.load();
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  private static float[] one(String text) {
    return embedder.embed(java.util.Collections.singletonList(text))[0];
  }

  private static void assertUnit(float[] v) {
    assertThat(v).hasSize(384);
    double norm = 0;
    for (float x : v) {
      assertThat(Float.isFinite(x)).isTrue();
      norm += x * x;
    }
    assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-4));
  }

  @Test
  void givesOneUnitVectorPerTextInOrder() {
    float[][] vectors = embedder.embed(List.of(REFUND, CAT, REFUND));
    assertThat(vectors).hasNumberOfRows(3);
    assertThat(embedder.dimensions()).isEqualTo(384);
    for (float[] v : vectors) {
      assertUnit(v);
    }
    assertThat(vectors[0]).containsExactly(vectors[2]);
    assertThat(SentenceEmbedder.cosine(vectors[0], vectors[0])).isCloseTo(1f, within(1e-4f));
    assertThat(embedder.embed(List.of())).isEmpty();
  }

  @Test
  void isDeterministic() {
    assertThat(one(REFUND)).containsExactly(one(REFUND));
  }

  @Test
  void aParaphraseScoresClearlyHigherThanAnUnrelatedSentence() {
    float[][] v = embedder.embed(List.of(REFUND, REFUND_PARAPHRASE, CAT));
    float paraphrase = SentenceEmbedder.cosine(v[0], v[1]);
    float unrelated = SentenceEmbedder.cosine(v[0], v[2]);
    assertThat(paraphrase).isGreaterThan(0.5f);
    assertThat(unrelated).isLessThan(0.3f);
    assertThat(paraphrase - unrelated).isGreaterThan(0.3f);
  }

  @Test
  void aTextsVectorDoesNotDependOnWhatItIsEmbeddedWith() {
    List<String> texts =
        List.of(
            CAT,
            "A much longer sentence about the weather in Paris and how it changes with the seasons.",
            "",
            REFUND_PARAPHRASE,
            "短い日本語の文と English mixed.",
            REFUND);
    float[][] together = embedder.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      float[] alone = one(texts.get(i));
      for (int d = 0; d < 384; d++) {
        assertThat(together[i][d]).as("text %d dim %d", i, d).isCloseTo(alone[d], within(1e-4f));
      }
    }
  }

  @Test
  void emptyNullAndBlankTextsShareOneFixedUnitVector() {
    float[][] v = embedder.embed(Arrays.asList("", null, "   \n\t", "\u0000\u0001"));
    assertUnit(v[0]);
    assertThat(v[1]).containsExactly(v[0]);
    assertThat(v[2]).containsExactly(v[0]);
    assertThat(v[3]).containsExactly(v[0]);
    // close to no real sentence
    assertThat(SentenceEmbedder.cosine(v[0], one(REFUND))).isLessThan(0.3f);
  }

  @Test
  void hostileTextsGiveUnitVectors() {
    String mebibyte = "refund ".repeat((1 << 20) / 7);
    float[][] v =
        embedder.embed(
            List.of(
                mebibyte,
                "x".repeat(1 << 20),
                "🙂🎉 emoji ✨ only 👍🏽",
                "退款将在十四天内发放。",
                "broken \uD800 surrogates \uDC00 here \uDBFF",
                "Ünïcödé çåfé ﬁ ß ǅ İstanbul"));
    for (float[] x : v) {
      assertUnit(x);
    }
    // truncation: past 254 word pieces the rest of a text changes nothing
    assertThat(v[0]).containsExactly(one("refund ".repeat(254)));
    // control characters and broken surrogates are dropped, not embedded
    assertThat(v[4]).containsExactly(one("broken surrogates here"));
  }

  @Test
  void isSafeToShareBetweenThreads() throws Exception {
    List<String> texts = List.of(REFUND, REFUND_PARAPHRASE, CAT, "Another short sentence.");
    float[][] expected = embedder.embed(texts);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> embedder.embed(texts)));
      }
      for (Future<float[][]> f : results) {
        float[][] got = f.get();
        for (int i = 0; i < texts.size(); i++) {
          assertThat(got[i]).containsExactly(expected[i]);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aClosedEmbedderSaysSo() {
    SentenceEmbedder own = SentenceEmbedder.load(2);
    assertUnit(own.embed(List.of(CAT))[0]);
    own.close();
    own.close();
    assertThatThrownBy(() -> own.embed(List.of(CAT)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void cosineRefusesVectorsOfDifferentLengths() {
    assertThatThrownBy(() -> SentenceEmbedder.cosine(new float[384], new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("384 and 3");
  }
}
