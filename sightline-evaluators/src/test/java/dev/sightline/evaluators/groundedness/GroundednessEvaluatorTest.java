package dev.sightline.evaluators.groundedness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.evaluators.ContextPassage;
import dev.sightline.evaluators.EvaluationInput;
import dev.sightline.model.CallContext;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Score;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroundednessEvaluatorTest {

  private static final String POLICY = "Unused items can be returned within 14 days of delivery for a full refund. "
      + "Gift cards are non-refundable. Standard shipping costs $4.99.";
  private final GroundednessEvaluator evaluator = new GroundednessEvaluator();

  private static EvaluationInput input(String answer, String prompt, List<ContextPassage> context) {
    LlmCall call = new LlmCall("openai", "chat", "gpt-4o", null, null, null, null, null, null,
        new CallContext("t1", "s1", "svc", null, null, null, null, null, null), null);
    return new EvaluationInput(call, answer, prompt, context);
  }

  private Score judge(String answer) {
    return evaluator.evaluate(input(answer, "What is the return policy?",
        List.of(new ContextPassage("retrieval", "r1", "Returns", POLICY)))).get(0);
  }

  @Test
  void aParaphraseWithNumberWordsIsSupported() {
    Score s = judge("Hi! You can send unused items back within two weeks of delivery and get a full refund. "
        + "Let me know if you need anything else.");
    assertThat(s.flagged()).isFalse();
    assertThat(s.label()).isEqualTo("supported");
    assertThat(s.value()).isEqualTo(1.0);
  }

  @Test
  void aChangedNumberIsNamedInTheExplanation() {
    Score s = judge("Unused items can be returned within 30 days for a full refund.");
    assertThat(s.flagged()).isTrue();
    assertThat(s.label()).isEqualTo("unsupported");
    assertThat(s.explanation()).contains("30 days").contains("appears nowhere in the context").contains("14 days");
    assertThat(s.value()).isEqualTo(0.0);
  }

  @Test
  void aFlippedPolarityIsUnsupported() {
    Score s = judge("Gift cards are refundable.");
    assertThat(s.flagged()).isTrue();
    assertThat(s.explanation()).contains("opposite");
  }

  @Test
  void anInventedCommitmentIsUnsupported() {
    Score s = judge("Unused items can be returned within 14 days. We also give you a free voucher worth $20.");
    assertThat(s.flagged()).isTrue();
    assertThat(s.value()).isEqualTo(0.5);
  }

  @Test
  void detailsListEverySentenceWithOffsetsAndThePassage() throws Exception {
    String answer = "Thanks for asking! Gift cards can't be refunded. Shipping is $9.99.";
    Score s = judge(answer);
    JsonNode d = new ObjectMapper().readTree(s.detailsJson());
    JsonNode sentences = d.get("sentences");
    assertThat(sentences).hasSize(3);
    assertThat(sentences.get(0).get("supported").isNull()).isTrue();
    assertThat(sentences.get(1).get("supported").asBoolean()).isTrue();
    JsonNode bad = sentences.get(2);
    assertThat(bad.get("supported").asBoolean()).isFalse();
    assertThat(answer.substring(bad.get("start").asInt(), bad.get("end").asInt())).isEqualTo("Shipping is $9.99.");
    assertThat(bad.get("reasons").get(0).asText()).contains("$9.99");
    assertThat(bad.get("passage").get("title").asText()).isEqualTo("Returns");
    assertThat(bad.get("passage").get("text").asText()).contains("$4.99");
    assertThat(s.value()).isEqualTo(0.5);
  }

  @Test
  void factsTheUserStatedCountAsContext() {
    Score s = evaluator.evaluate(input("Your order 88231 was placed on March 3.",
        "My order number is 88231 and I placed it on March 3. Where is it?",
        List.of(new ContextPassage("retrieval", "r1", "Shipping", "Orders ship within 2 business days."))))
        .get(0);
    assertThat(s.flagged()).isFalse();
  }

  @Test
  void emptyAnswerAndMissingContextAreNotEvaluated() {
    Score empty = evaluator.evaluate(input(" ", "q", List.of(new ContextPassage("retrieval", "r", "t", POLICY))))
        .get(0);
    assertThat(empty.evaluated()).isFalse();
    assertThat(empty.explanation()).contains("empty answer");
    Score noContext = evaluator.evaluate(input("Refunds take 14 days.", "", List.of())).get(0);
    assertThat(noContext.explanation()).contains("no context to check against");
    Score nullCall = evaluator.evaluate(new EvaluationInput(null, "Refunds take 14 days.", null, null)).get(0);
    assertThat(nullCall.evaluated()).isFalse();
  }

  @Test
  void aHugeContextIsTruncatedAndSaysSo() {
    List<ContextPassage> passages = new ArrayList<>();
    String filler = "The warehouse in Leeds handles returns for region 7 on weekdays. ".repeat(200);
    for (int i = 0; i < 100; i++) {
      passages.add(new ContextPassage("retrieval", "r" + i, "doc " + i, filler + "\u0000\uFFFE\uD800"));
    }
    passages.add(new ContextPassage("retrieval", "x", "late", "Refunds take 14 days."));
    Score s = evaluator.evaluate(input("Refunds take 14 days.", "", passages)).get(0);
    assertThat(s.explanation()).contains("Context truncated");
    assertThat(s.detailsJson()).contains("\"contextTruncated\":true");
  }

  @Test
  void wordsEchoedFromTheQuestionAreNotInvented() {
    List<ContextPassage> ctx = List.of(new ContextPassage("retrieval", "r1", "Bikes",
        "Rental bikes must be returned to the shop by 6 pm."));
    String answer = "Yes, tandem trikes with child trailers must also go back by 6 pm.";
    Score echoed = evaluator.evaluate(input(answer, "Do tandem trikes with child trailers go back by 6 pm?", ctx)).get(0);
    Score unasked = evaluator.evaluate(input(answer, "What time does the shop close?", ctx)).get(0);
    assertThat(echoed.flagged()).isFalse();
    assertThat(unasked.flagged()).isTrue();
  }

  @Test
  void theVersionSaysOnePointTwo() {
    assertThat(evaluator.version()).isEqualTo("1.2-lexical");
  }

  private Score judge(String answer, String question, String title, String text) {
    return evaluator.evaluate(input(answer, question, List.of(new ContextPassage("retrieval", "r1", title, text))))
        .get(0);
  }

  @Test
  void valuesFromTheUsersQuestionAndFromPassageTitlesAreNotInvented() {
    String rule = "Dogs up to 15 kg are welcome in Garden rooms.";
    assertThat(judge("Yes, a 10 kg dog is within the 15 kg limit.", "Can I bring my 10 kg dog?", "Pets", rule)
        .flagged()).isFalse();
    assertThat(judge("Yes, a 10 kg dog is within the 15 kg limit.", "Can I bring my dog?", "Pets", rule)
        .flagged()).isTrue();
    assertThat(judge("Version 8.3 lets you download offline maps for five regions.", "How many map regions?",
        "Version 8.3", "Offline maps can be downloaded for up to 5 regions.").flagged()).isFalse();
  }

  @Test
  void aValueInsideAStatedRangeIsSupportedAndOneOutsideItIsNot() {
    String fees = "Cancellations 31–60 days before departure cost 40% of the package price.";
    assertThat(judge("Cancelling 45 days ahead costs 40% of the package.", "What does cancelling cost?", "Fees",
        fees).flagged()).isFalse();
    assertThat(judge("Cancelling 75 days ahead costs 40% of the package.", "What does cancelling cost?", "Fees",
        fees).flagged()).isTrue();
    String peak = "Bikes are not allowed during the evening peak from 16:00 to 18:30.";
    assertThat(judge("At 5 p.m. bikes are not allowed, since that is the evening peak.", "Can I bring my bike?",
        "Bikes", peak).flagged()).isFalse();
  }

  @Test
  void aTotalWorkedOutFromAContextPriceIsNotInvented() {
    String price = "Members can freeze their membership for 1 to 3 months per year for $5 per month.";
    assertThat(judge("A two-month freeze at $5 per month comes to $10 in total.", "Can I freeze?", "Freezing",
        price).flagged()).isFalse();
    assertThat(judge("A two-month freeze at $5 per month comes to $12 in total.", "Can I freeze?", "Freezing",
        price).flagged()).isTrue();
  }

  @Test
  void closingPleasantriesAreNotChecked() {
    assertThat(judge("Unused items can be returned within 14 days. Hope that helps!", "Returns?", "Returns", POLICY)
        .flagged()).isFalse();
    assertThat(judge("Unused items can be returned within 14 days. That might be worth a look if you travel often.",
        "Returns?", "Returns", POLICY).flagged()).isFalse();
  }
}
