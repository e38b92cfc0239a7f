package dev.sightline.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sightline.model.Content;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Personal data and secrets in text are replaced by typed masks; everything else stays byte for byte. */
class PiiMaskerTest {
  private final PiiMasker masker = new PiiMasker();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "write to jane.doe+news@example.co.uk today|write to [email] today",
      "Mail: bob@mail.example.com.|Mail: [email].",
      "call +1 415 555 2671 now|call [phone] now",
      "call +14155552671|call [phone]",
      "call +44 (0)20 7946 0958 now|call [phone] now",
      "call (415) 555-2671 now|call [phone] now",
      "call 415-555-2671 or 415.555.2671|call [phone] or [phone]",
      "call 1-800-555-0199|call [phone]",
      "ring 020 7946 0958 or 07700 900123|ring [phone] or [phone]",
      "appelez 06 12 34 56 78|appelez [phone]",
      "card 4111 1111 1111 1111 exp 12/27|card [card] exp 12/27",
      "card 4111-1111-1111-1111|card [card]",
      "card 5500005555555559.|card [card].",
      "amex 3782 822463 10005|amex [card]",
      "iban DE89 3704 0044 0532 0130 00 thanks|iban [iban] thanks",
      "iban GB82WEST12345698765432|iban [iban]",
      "iban GB82 WEST 1234 5698 7654 32 AND MORE|iban [iban] AND MORE",
      "ssn 123-45-6789|ssn [national-id]",
      "NI number AB 12 34 56 C ok|NI number [national-id] ok",
      "NI number AB123456C|NI number [national-id]",
      "key sk-proj-Ab3dEf5hIjKlMn0pQrStUvWxYz123456|key [api-key]",
      "key sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe-abcd_EF|key [api-key]",
      "key sk-Ab3dEf5hIjKlMn0pQrStUvWxYz1234567890abcdEF|key [api-key]",
      "gh ghp_1234567890abcdefghijABCDEFGHIJ123456|gh [api-key]",
      "gh github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVW|gh [api-key]",
      "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOp|slack [api-key]",
      "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc and rk_live_4eC39HqLyjWDarjtT1zdp7dc|stripe [api-key] and [api-key]",
      "google AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW|google [api-key]",
      "aws AKIAIOSFODNN7EXAMPLE and ASIAIOSFODNN7EXAMPLE|aws [api-key] and [api-key]",
      "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY|aws_secret_access_key = [api-key]",
      "Authorization: Bearer abcDEF123456ghiJKL789.xyz|Authorization: Bearer [api-key]",
      "jwt eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U end|jwt [jwt] end",
      "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0.c2ln|Bearer [jwt]",
  })
  void masksEachKind(String text, String masked) {
    assertThat(masker.mask(text)).isEqualTo(masked);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "card 4111 1111 1111 1112",                          // Luhn-invalid
      "iban DE89 3704 0044 0532 0130 01",                  // mod-97-invalid
      "iban GB82WEST12345698765433",
      "order 123456789012 shipped",                        // an order number is not a phone
      "order #4155552671",
      "total $4,111.11 or 4111.11 EUR or €1 234 567",       // prices
      "price 1234567890123.45",
      "in 2024, 1999 and 2019-2020, on 2024-01-15 at 12:30:45",
      "version 1.2.3, v10.0.19045, 3.14159265358979323846",
      "id 550e8400-e29b-41d4-a716-446655440000 and 12345678-1234-1234-1234-123456789012",
      "ip 192.168.100.200 and 10.0.0.1",
      "isbn 978-3-16-148410-0",
      "ssn 666-12-3456 or 900-12-3456 or 123-00-4567 or 000-12-3456",  // never issued
      "NI QQ 12 34 56 C is the documented example prefix",
      "timestamp 1712345678901234567 and 1700000000000",
      "npm install left-pad@1.3.0 and @scope/pkg, user@localhost",
      "sk-learn is not a key; sk-this-is-a-long-hyphenated-slug-name either",
      "Bearer tokens are described in the spec",
      "eyJhbGciOi is only half a token",
      "10 000 000 000 000 stars",
      "call 123-456-7890",                                  // area codes never start with 1
  })
  void leavesLookAlikesAlone(String text) {
    assertThat(masker.mask(text)).isSameAs(text);
  }

  @Test
  void aPrivateKeyBlockIsMaskedWholeEvenInsideJson() throws Exception {
    String pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM9Oi\nZ1BjP5CE/Wm/Rr500P\n"
        + "-----END RSA PRIVATE KEY-----";
    assertThat(masker.mask("key:\n" + pem + "\nthanks")).isEqualTo("key:\n[private-key]\nthanks");
    String json = new ObjectMapper().writeValueAsString(Map.of("content", "key " + pem + " thanks"));
    String masked = masker.mask(json);
    assertThat(masked).isEqualTo("{\"content\":\"key [private-key] thanks\"}");
    assertThat(masker.mask("-----BEGIN PUBLIC KEY-----\nMIIBIjANBg\n-----END PUBLIC KEY-----")).doesNotContain("[");
  }

  @Test
  void maskedJsonStaysValidAndKeepsEveryOtherCharacter() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String text = "Hi,\nmy email is jane@example.com\tand my card 4111 1111 1111 1111.\n"
        + "Call +1 415 555 2671 \"soon\" — café ünïcode ✓, key sk-proj-Ab3dEf5hIjKlMn0pQrStUvWxYz123456";
    String encoded = json.writeValueAsString(Map.of("role", "user", "content", text));
    String masked = masker.mask(encoded);
    Map<?, ?> back = json.readValue(masked, Map.class);
    assertThat(back.get("content")).isEqualTo(masker.mask(text));
    assertThat((String) back.get("content")).isEqualTo("Hi,\nmy email is [email]\tand my card [card].\n"
        + "Call [phone] \"soon\" — café ünïcode ✓, key [api-key]");
    // right after a JSON escape (\n, \t) the value is still found
    String escaped = json.writeValueAsString("line\n4111 1111 1111 1111\njane@example.com\t+14155552671");
    assertThat(json.readValue(masker.mask(escaped), String.class)).isEqualTo("line\n[card]\n[email]\t[phone]");
  }

  @Test
  void textWithoutPiiIsReturnedAsTheSameInstance() {
    String clean = "The quick brown fox jumps over the lazy dog 42 times in 2024 (v1.2.3).";
    assertThat(masker.mask(clean)).isSameAs(clean);
    Content content = new Content("[{\"role\":\"user\"}]", null, null, null);
    assertThat(masker.mask(content)).isSameAs(content);
  }

  @Test
  void countsWhatItMasksByKind() {
    PiiCounters counters = new PiiCounters();
    PiiMasker counting = new PiiMasker(counters);
    counting.mask("a@example.com b@example.com 4111 1111 1111 1111 AKIAIOSFODNN7EXAMPLE");
    Map<String, Long> snap = counters.snapshot();
    assertThat(snap).containsEntry("email", 2L).containsEntry("card", 1L).containsEntry("api-key", 1L)
        .containsEntry("phone", 0L).containsKeys("iban", "national-id", "private-key", "jwt");
  }

  @Test
  void hostileMegabyteInputsAreScannedToTheEnd() {
    String[] units = {"a@", "@a.", "1 ", "1-", "+1 ", "(1) ", "sk-a", "eyJ.", "eyJ-", "-----BEGIN PRIVATE KEY-----",
        "DE89 ", "AB 12 ", "Bearer ", "secret: ", "4111 ", "x.", "\\n1"};
    for (String unit : units) {
      String hostile = unit.repeat((1 << 20) / unit.length());
      // (a quote ends a private key block cut short: up to there, it is all masked)
      String masked = masker.mask(hostile + "\" jane@example.com");
      assertThat(masked).as(unit).endsWith("\" [email]");
    }
    String tooLongForAnAddress = "a".repeat(1 << 20) + "@example.com";
    assertThat(masker.mask(tooLongForAnAddress)).isSameAs(tooLongForAnAddress);
    String card = "4111 1111 1111 1111, ";
    String masked = masker.mask(card.repeat(50_000));
    assertThat(masked).isEqualTo("[card], ".repeat(50_000));
  }

  @Test
  void randomTextNeverBreaksTheMasker() throws Exception {
    Random random = new Random(12);
    String alphabet = "aeAZ019 -+.()@_/:=\"\\\n\tskeyJBgxrIN";
    ObjectMapper json = new ObjectMapper();
    for (int round = 0; round < 2_000; round++) {
      StringBuilder b = new StringBuilder();
      int len = random.nextInt(200);
      for (int i = 0; i < len; i++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String encoded = json.writeValueAsString(b.toString());
      // masking never breaks a JSON string, whatever it holds
      assertThat(json.readValue(masker.mask(encoded), String.class)).isNotNull();
    }
  }
}
