package dev.sightline.evaluators.judge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.text.Sentence;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The judge's prompt is bounded and asks for one JSON shape; its answer is read strictly but forgivingly. */
class JudgeAnswerTest {
  private static final String ANSWER = "Refunds take 14 days. Gift cards can be refunded too. Thanks for asking!";

  @Test
  void aGoodAnswerGivesOneVerdictPerSentenceInOrder() {
    JudgeAnswer a = JudgeAnswer.fromContent("""
        {"sentences":[{"index":0,"supported":true,"reason":"policy says 14 days"},
                      {"index":2,"supported":null,"reason":"no claim"},
                      {"index":1,"supported":false,"reason":"gift cards are non-refundable"}]}""", 3);
    assertThat(a.ok()).isTrue();
    assertThat(a.verdicts()).extracting(JudgeAnswer.Verdict::supported).containsExactly(true, false, null);
    assertThat(a.verdicts().get(1).reason()).isEqualTo("gift cards are non-refundable");
  }

  @Test
  void jsonInsideACodeFenceOrBetweenWordsIsFoundAndWordVerdictsAreRead() {
    JudgeAnswer a = JudgeAnswer.fromContent("Here you go:\n```json\n{\"sentences\":[{\"index\":\"0\",\"supported\":\"yes\"},"
        + "{\"index\":1,\"supported\":\"unsupported\",\"reason\":\"not in context\"}]}\n```\nHope this helps.", 2);
    assertThat(a.ok()).isTrue();
    assertThat(a.verdicts()).extracting(JudgeAnswer.Verdict::supported).containsExactly(true, false);
    assertThat(a.verdicts().get(0).reason()).isEmpty();
  }

  @Test
  void aPartialAnswerIsAFailureNotAGuess() {
    JudgeAnswer a = JudgeAnswer.fromContent("{\"sentences\":[{\"index\":0,\"supported\":true},"
        + "{\"index\":1,\"supported\":false}]}", 3);
    assertThat(a.ok()).isFalse();
    assertThat(a.failure()).startsWith(JudgeAnswer.NOT_JSON).contains("judged 2 of the 3 sentences");

    JudgeAnswer undecided = JudgeAnswer.fromContent("{\"sentences\":[{\"index\":0,\"supported\":\"maybe\"}]}", 1);
    assertThat(undecided.failure()).contains("judged 0 of the 1");
  }

  @Test
  void proseAndEmptyAnswersAreNotTheJsonAskedFor() {
    assertThat(JudgeAnswer.fromContent("All sentences look supported to me.", 2).failure())
        .isEqualTo(JudgeAnswer.NOT_JSON);
    assertThat(JudgeAnswer.fromContent("", 2).failure()).isEqualTo(JudgeAnswer.NOT_JSON);
    assertThat(JudgeAnswer.fromContent("{\"sentences\": [ {\"index\": 0, ", 2).failure()).isEqualTo(JudgeAnswer.NOT_JSON);
    assertThat(JudgeAnswer.fromContent("{\"verdict\":\"fine\"}", 2).failure()).contains("no \"sentences\" list");
    assertThat(JudgeAnswer.fromContent("{\"sentences\":[]}", 2).failure()).isEqualTo("the judge's answer had no verdicts");
  }

  @Test
  void indexesOutOfRangeFailButNumberingFromOneIsMended() {
    JudgeAnswer wrong = JudgeAnswer.fromContent("{\"sentences\":[{\"index\":5,\"supported\":true},"
        + "{\"index\":6,\"supported\":true}]}", 2);
    assertThat(wrong.ok()).isFalse();
    assertThat(wrong.failure()).contains("judged 0 of the 2");

    JudgeAnswer duplicate = JudgeAnswer.fromContent("{\"sentences\":[{\"index\":0,\"supported\":true},"
        + "{\"index\":0,\"supported\":false}]}", 2);
    assertThat(duplicate.failure()).contains("judged 1 of the 2");

    JudgeAnswer fromOne = JudgeAnswer.fromContent("{\"sentences\":[{\"index\":1,\"supported\":true},"
        + "{\"index\":2,\"supported\":false,\"reason\":\"r2\"}]}", 2);
    assertThat(fromOne.ok()).isTrue();
    assertThat(fromOne.verdicts().get(1)).isEqualTo(new JudgeAnswer.Verdict(false, "r2"));

    JudgeAnswer unnumbered = JudgeAnswer.fromContent("[{\"supported\":false},{\"supported\":true}]", 2);
    assertThat(unnumbered.verdicts()).extracting(JudgeAnswer.Verdict::supported).containsExactly(false, true);
  }

  @Test
  void theCompletionEnvelopeIsReadAndItsFailuresNamed() {
    JudgeAnswer a = JudgeAnswer.fromCompletion("""
        {"model":"gpt-4o-mini-2024-07-18","choices":[{"message":{"role":"assistant",
         "content":"{\\"sentences\\":[{\\"index\\":0,\\"supported\\":true}]}"},"finish_reason":"stop"}]}""", 1);
    assertThat(a.ok()).isTrue();
    assertThat(a.model()).isEqualTo("gpt-4o-mini-2024-07-18");

    assertThat(JudgeAnswer.fromCompletion("<html>bad gateway</html>", 1).failure()).contains("not a Chat Completions");
    assertThat(JudgeAnswer.fromCompletion("{\"choices\":[]}", 1).failure()).contains("no message content");
    assertThat(JudgeAnswer.fromCompletion("{\"choices\":[{\"message\":{\"content\":null,\"refusal\":\"I can't\"}}]}", 1)
        .failure()).isEqualTo("the judge refused: I can't");
    assertThat(JudgeAnswer.fromCompletion("{\"choices\":[{\"message\":{\"content\":\"{\\\"sentences\\\":[{\\\"ind\"},"
        + "\"finish_reason\":\"length\"}]}", 1).failure()).startsWith(JudgeAnswer.NOT_JSON).contains("cut off");
  }

  @Test
  void thePromptNumbersTheSentencesWithOffsetsIntoTheAnswerAndAsksForJson() {
    List<Sentence> sentences = JudgePrompt.sentences(ANSWER);
    assertThat(sentences).hasSize(3);
    for (Sentence s : sentences) {
      assertThat(ANSWER.substring(s.start(), s.end())).isEqualTo(s.text());
    }
    JudgePrompt p = JudgePrompt.of(sentences, List.of(new ContextPassage("retrieval", "r1", "Refund policy",
        "Refunds are paid within 14 days. Gift cards are non-refundable.")));
    assertThat(p.userMessage).contains("[1] retrieval: Refund policy\nRefunds are paid within 14 days.")
        .contains("0: Refunds take 14 days.\n1: Gift cards can be refunded too.\n2: Thanks for asking!")
        .contains("indexes 0 to 2").doesNotContain("shortened");
    assertThat(p.contextTruncated).isFalse();
    assertThat(p.requestBody("llama3.1:8b", true)).contains("\"model\":\"llama3.1:8b\"")
        .contains("\"response_format\":{\"type\":\"json_object\"}").contains("\"temperature\":0")
        .contains("{\\\"sentences\\\":[{\\\"index\\\":0,\\\"supported\\\":true");
    assertThat(p.requestBody("m", false)).doesNotContain("response_format");
  }

  @Test
  void contextBeyondTheBudgetIsCutAndTheJudgeIsToldSo() {
    String huge = "The lounge opens at 6 am. ".repeat(5_000); // 130k characters
    List<ContextPassage> passages = List.of(new ContextPassage("retrieval", "r1", "lounge", huge),
        new ContextPassage("retrieval", "r2", "bags", "A second bag costs 45 euros."),
        new ContextPassage("tool", "t1", "more", huge), new ContextPassage("tool", "t2", "more", huge),
        new ContextPassage("tool", "t3", "last", "never shown"));
    JudgePrompt p = JudgePrompt.of(JudgePrompt.sentences("A second bag costs 45 euros."), passages);
    assertThat(p.contextTruncated).isTrue();
    assertThat(p.contextChars).isEqualTo(3 * huge.length() + 28 + 11);
    assertThat(p.userMessage.length()).isLessThan(JudgePrompt.CONTEXT_BUDGET + 3_000);
    assertThat(p.userMessage).contains("A second bag costs 45 euros.").contains("shortened to its first")
        .doesNotContain("never shown");
  }

  @Test
  void answersBeyondTheSentenceLimitAreJudgedInPart() {
    List<Sentence> many = JudgePrompt.sentences("Fact number one is here. ".repeat(150));
    JudgePrompt p = JudgePrompt.of(many, List.of(new ContextPassage("user", "s", null, "facts")));
    assertThat(p.sentences).hasSize(JudgePrompt.MAX_SENTENCES);
    assertThat(p.answerTruncated).isTrue();
  }
}
