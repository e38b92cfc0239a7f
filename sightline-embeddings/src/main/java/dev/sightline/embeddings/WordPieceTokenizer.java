package dev.sightline.embeddings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The BERT uncased tokenizer of the bundled model, read from its HuggingFace tokenizer.json: BERT
 * normalization and pre-tokenization, then greedy longest-match-first WordPiece.
 *
 * <p>Behaviour follows the HuggingFace tokenizers' BertNormalizer, BertPreTokenizer and WordPiece
 * model as their documentation and the tokenizer.json fields describe them.
 */
final class WordPieceTokenizer {

  private final Map<String, Integer> vocab;
  private final String[] tokenById;
  private final String continuationPrefix;
  private final int maxCharsPerWord;
  private final int unkId;
  private final int clsId;
  private final int sepId;
  private final boolean cleanText;
  private final boolean spaceCjk;
  private final boolean stripAccents;
  private final boolean lowercase;
  private final int maxTokens;

  private WordPieceTokenizer(JsonNode root, int maxTokens) {
    JsonNode model = root.path("model");
    require("WordPiece".equals(model.path("type").asText()), "model.type is not WordPiece");
    JsonNode vocabNode = model.path("vocab");
    require(vocabNode.isObject() && vocabNode.size() > 0, "model.vocab is missing");
    this.vocab = new HashMap<>(vocabNode.size() * 2);
    int maxId = 0;
    for (Map.Entry<String, JsonNode> e : vocabNode.properties()) {
      int id = e.getValue().asInt(-1);
      require(id >= 0, "vocab entry " + e.getKey() + " has no id");
      vocab.put(e.getKey(), id);
      maxId = Math.max(maxId, id);
    }
    this.tokenById = new String[maxId + 1];
    vocab.forEach((token, id) -> tokenById[id] = token);
    this.continuationPrefix = model.path("continuing_subword_prefix").asText("##");
    this.maxCharsPerWord = model.path("max_input_chars_per_word").asInt(100);
    String unk = model.path("unk_token").asText("[UNK]");
    this.unkId = specialId(root, unk);
    this.clsId = specialId(root, "[CLS]");
    this.sepId = specialId(root, "[SEP]");

    JsonNode normalizer = root.path("normalizer");
    require(
        "BertNormalizer".equals(normalizer.path("type").asText()),
        "normalizer is not a BertNormalizer");
    this.cleanText = normalizer.path("clean_text").asBoolean(true);
    this.spaceCjk = normalizer.path("handle_chinese_chars").asBoolean(true);
    this.lowercase = normalizer.path("lowercase").asBoolean(true);
    // strip_accents null means "follow lowercase" in the HuggingFace BertNormalizer; the bundled
    // file has null and lowercase true, so accents are stripped.
    JsonNode strip = normalizer.path("strip_accents");
    this.stripAccents = strip.isBoolean() ? strip.asBoolean() : lowercase;
    require(
        "BertPreTokenizer".equals(root.path("pre_tokenizer").path("type").asText()),
        "pre_tokenizer is not a BertPreTokenizer");
    require(maxTokens >= 3, "max tokens must leave room for [CLS], [SEP] and a word");
    this.maxTokens = maxTokens;
  }

  /** Reads a tokenizer.json; IllegalStateException if it is not a BERT WordPiece tokenizer. */
  static WordPieceTokenizer read(InputStream json, int maxTokens) {
    try {
      return new WordPieceTokenizer(new ObjectMapper().readTree(json), maxTokens);
    } catch (IOException e) {
      throw new IllegalStateException("the tokenizer file cannot be read: " + e.getMessage(), e);
    }
  }

  /** The vocabulary entry of an id, for tests and diagnostics. */
  String token(long id) {
    return id >= 0 && id < tokenById.length ? tokenById[(int) id] : null;
  }

  /**
   * The token ids of a text, [CLS] first and [SEP] last, truncated to the max token count. Null
   * reads as empty; an empty text is [CLS] [SEP].
   */
  long[] encode(String text) {
    Words words = new Words(maxTokens - 2);
    if (text != null) {
      split(text, words);
    }
    long[] ids = new long[words.ids.size() + 2];
    ids[0] = clsId;
    for (int i = 0; i < words.ids.size(); i++) {
      ids[i + 1] = words.ids.get(i);
    }
    ids[ids.length - 1] = sepId;
    return ids;
  }

  /**
   * Normalizes and pre-tokenizes code point by code point, handing each finished word to WordPiece,
   * and stops as soon as the token budget is full, so a huge text costs no more than its head.
   */
  private void split(String text, Words words) {
    StringBuilder word = new StringBuilder();
    int i = 0;
    int n = text.length();
    while (i < n && !words.full()) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cleanText && isRemovedInCleaning(cp)) {
        continue;
      }
      if (isWhitespace(cp)) {
        flush(word, words);
        continue;
      }
      // BERT pads CJK ideographs with spaces, so each is a word of its own.
      boolean cjk = spaceCjk && isCjk(cp);
      if (cjk) {
        flush(word, words);
      }
      if (cp < 0x80 || !stripAccents) {
        appendNormalized(cp, word, words);
      } else {
        String decomposed = Normalizer.normalize(Character.toString(cp), Normalizer.Form.NFD);
        for (int j = 0; j < decomposed.length(); ) {
          int d = decomposed.codePointAt(j);
          j += Character.charCount(d);
          if (Character.getType(d) != Character.NON_SPACING_MARK) {
            appendNormalized(d, word, words);
          }
        }
      }
      if (cjk) {
        flush(word, words);
      }
    }
    flush(word, words);
  }

  /** Lower-cases one normalized code point and places it: punctuation is a word of its own. */
  private void appendNormalized(int cp, StringBuilder word, Words words) {
    int c = lowercase ? Character.toLowerCase(cp) : cp;
    if (isWhitespace(c)) {
      flush(word, words);
    } else if (isPunctuation(c)) {
      flush(word, words);
      word.appendCodePoint(c);
      flush(word, words);
    } else if (word.length() <= 2 * maxCharsPerWord) {
      // past this the word is [UNK] whatever follows, so a huge unbroken run costs no memory
      word.appendCodePoint(c);
    }
  }

  private void flush(StringBuilder word, Words words) {
    if (word.isEmpty()) {
      return;
    }
    wordPiece(word.toString(), words);
    word.setLength(0);
  }

  /** Greedy longest-match-first; a word with any unmatched rest, or too long, is one [UNK]. */
  private void wordPiece(String word, Words words) {
    if (words.full()) {
      return;
    }
    if (word.codePointCount(0, word.length()) > maxCharsPerWord) {
      words.add(unkId);
      return;
    }
    List<Integer> pieces = new ArrayList<>(4);
    int start = 0;
    while (start < word.length()) {
      int end = word.length();
      Integer found = null;
      while (end > start) {
        String piece = word.substring(start, end);
        found = vocab.get(start > 0 ? continuationPrefix + piece : piece);
        if (found != null) {
          break;
        }
        end = Character.isLowSurrogate(word.charAt(end - 1)) && end - 2 >= start ? end - 2 : end - 1;
      }
      if (found == null) {
        words.add(unkId);
        return;
      }
      pieces.add(found);
      start = end;
    }
    for (int id : pieces) {
      words.add(id);
    }
  }

  private int specialId(JsonNode root, String token) {
    for (JsonNode added : root.path("added_tokens")) {
      if (token.equals(added.path("content").asText())) {
        return added.path("id").asInt();
      }
    }
    Integer id = vocab.get(token);
    require(id != null, "special token " + token + " is not in the tokenizer file");
    return id;
  }

  /** HuggingFace's clean_text drops NUL, U+FFFD and "other" characters but keeps tab/CR/LF. */
  private static boolean isRemovedInCleaning(int cp) {
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      return false;
    }
    if (cp == 0 || cp == 0xFFFD) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.CONTROL
        || type == Character.FORMAT
        || type == Character.SURROGATE
        || type == Character.PRIVATE_USE
        || type == Character.UNASSIGNED;
  }

  /** Unicode White_Space (Java's isWhitespace alone misses the no-break spaces). */
  private static boolean isWhitespace(int cp) {
    return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
  }

  /** BERT splits on all ASCII punctuation (including $+<=>^`|~) and on Unicode P* categories. */
  private static boolean isPunctuation(int cp) {
    if ((cp >= 33 && cp <= 47) || (cp >= 58 && cp <= 64) || (cp >= 91 && cp <= 96)
        || (cp >= 123 && cp <= 126)) {
      return true;
    }
    return switch (Character.getType(cp)) {
      case Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION -> true;
      default -> false;
    };
  }

  /** The CJK Unified Ideograph blocks BERT pads with spaces (not Hangul or kana). */
  private static boolean isCjk(int cp) {
    return (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x20000 && cp <= 0x2A6DF)
        || (cp >= 0x2A700 && cp <= 0x2B73F)
        || (cp >= 0x2B740 && cp <= 0x2B81F)
        || (cp >= 0x2B820 && cp <= 0x2CEAF)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0x2F800 && cp <= 0x2FA1F);
  }

  private static void require(boolean ok, String reason) {
    if (!ok) {
      throw new IllegalStateException("unexpected tokenizer file: " + reason);
    }
  }

  /** The word-piece ids of one text so far, up to a budget. */
  private static final class Words {
    final List<Integer> ids = new ArrayList<>();
    final int budget;

    Words(int budget) {
      this.budget = budget;
    }

    boolean full() {
      return ids.size() >= budget;
    }

    void add(int id) {
      if (!full()) {
        ids.add(id);
      }
    }
  }
}
