package dev.sightline.embeddings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled BERT uncased tokenizer against token sequences BERT uncased is known to give. */
class WordPieceTokenizerTest {

  private static WordPieceTokenizer tokenizer;

  @BeforeAll
  static void read() throws Exception {
    try (InputStream json =
        WordPieceTokenizerTest.class.getResourceAsStream(SentenceEmbedder.TOKENIZER_RESOURCE)) {
      tokenizer = WordPieceTokenizer.read(json, SentenceEmbedder.MAX_TOKENS);
    }
  }

  private static List<String> tokens(String text) {
    return Arrays.stream(tokenizer.encode(text)).mapToObj(tokenizer::token).toList();
  }

  /** The word pieces between [CLS] and [SEP]. */
  private static List<String> pieces(String text) {
    List<String> all = tokens(text);
    assertThat(all.getFirst()).isEqualTo("[CLS]");
    assertThat(all.getLast()).isEqualTo("[SEP]");
    return all.subList(1, all.size() - 1);
  }

  @Test
  void helloWorldGivesTheBertUncasedIds() {
    assertThat(tokenizer.encode("Hello, world!"))
        .containsExactly(101, 7592, 1010, 2088, 999, 102);
    assertThat(tokens("Hello, world!")).containsExactly("[CLS]", "hello", ",", "world", "!", "[SEP]");
  }

  @Test
  void lowerCasesAndStripsAccents() {
    assertThat(pieces("Café")).containsExactly("cafe");
    assertThat(pieces("NAÏVE café")).containsExactly("naive", "cafe");
  }

  @Test
  void splitsWordsIntoContinuationPieces() {
    // longest match first: "##ffa" is in the vocabulary, so it wins over "##ff" + "##able"
    assertThat(pieces("unaffable")).containsExactly("una", "##ffa", "##ble");
    assertThat(pieces("embeddings")).containsExactly("em", "##bed", "##ding", "##s");
  }

  @Test
  void aWordThatCannotBeSplitOrIsOverlongIsOneUnknown() {
    assertThat(pieces("a".repeat(100))).doesNotContain("[UNK]");
    assertThat(pieces("a".repeat(101))).containsExactly("[UNK]");
    assertThat(pieces("ok 🙂 ok")).containsExactly("ok", "[UNK]", "ok");
    // the emoji has no piece, so the whole word is unknown, not just its tail
    assertThat(pieces("smile🙂")).containsExactly("[UNK]");
  }

  @Test
  void splitsOnPunctuationIncludingAsciiSymbols() {
    assertThat(pieces("$100+tax")).containsExactly("$", "100", "+", "tax");
    assertThat(pieces("it’s—fine")).containsExactly("it", "’", "s", "—", "fine");
  }

  @Test
  void eachCjkIdeographIsAWordOfItsOwn() {
    assertThat(pieces("東京")).containsExactly("東", "京");
    assertThat(pieces("in東京now")).containsExactly("in", "東", "京", "now");
  }

  @Test
  void dropsControlCharactersAndInvalidSurrogatesAndSplitsOnAnyWhitespace() {
    assertThat(pieces("hel\u0000lo wo\u200Brld")).containsExactly("hello", "world");
    assertThat(pieces("hel\uD800lo\uDC00")).containsExactly("hello");
    assertThat(pieces("hello\tworld\u00A0again\u3000end\n"))
        .containsExactly("hello", "world", "again", "end");
  }

  @Test
  void specialTokenTextInContentIsPlainText() {
    // content cannot smuggle a [SEP] in: it is tokenized as the characters it is
    assertThat(pieces("[SEP]")).containsExactly("[", "sep", "]");
  }

  @Test
  void emptyNullAndBlankTextAreClsSep() {
    assertThat(tokenizer.encode("")).containsExactly(101, 102);
    assertThat(tokenizer.encode(null)).containsExactly(101, 102);
    assertThat(tokenizer.encode(" \t\u0001\n")).containsExactly(101, 102);
  }

  @Test
  void truncatesToTheTokenLimitKeepingSpecials() {
    long[] ids = tokenizer.encode("hello ".repeat(1000));
    assertThat(ids).hasSize(SentenceEmbedder.MAX_TOKENS);
    assertThat(ids[0]).isEqualTo(101);
    assertThat(ids[ids.length - 1]).isEqualTo(102);
    assertThat(Arrays.copyOfRange(ids, 1, ids.length - 1)).containsOnly(7592);
    // a word cut by the limit keeps its first pieces
    List<String> cut = pieces("hello ".repeat(253) + "embeddings");
    assertThat(cut).hasSize(254).endsWith("hello", "em");
  }

  @Test
  void aMebibyteOfTextEncodesToTheLimit() {
    assertThat(tokenizer.encode("word ".repeat(1 << 18))).hasSize(256);
    assertThat(tokenizer.encode("x".repeat(1 << 20))).containsExactly(101, 100, 102);
    assertThat(tokenizer.encode(" ".repeat(1 << 20))).containsExactly(101, 102);
  }

  @Test
  void aFileThatIsNotBertWordPieceIsRefusedWithAReason() {
    String bpe = "{\"model\":{\"type\":\"BPE\",\"vocab\":{\"a\":0}}}";
    assertThatThrownBy(
            () ->
                WordPieceTokenizer.read(
                    new ByteArrayInputStream(bpe.getBytes(StandardCharsets.UTF_8)), 256))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not WordPiece");
  }
}
