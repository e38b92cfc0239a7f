package dev.sightline.pipeline;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Finds personal data and secrets in one text in a single left-to-right pass, without regular
 * expressions: each detector starts only at a trigger character and reads a bounded stretch (or a
 * stretch it then skips), so hostile input of any size costs linear time by construction.
 * Numbers (cards, phones, national ids, IBANs) are in {@link NumberFinder}.
 */
final class PiiScanner {
  /** One finding: {@code [start, end)} of the text is replaced by the kind's mask. */
  record Finding(int start, int end, PiiKind kind) {}

  private static final byte DIGIT = 1;
  private static final byte LETTER_TRIGGER = 2;
  private static final byte OTHER_TRIGGER = 4;
  /** Characters at which some detector may start; everything else is skipped with one table read. */
  private static final byte[] TRIGGER = new byte[128];
  private static final boolean[] WORD = new boolean[128];

  static {
    for (char c = 0; c < 128; c++) {
      WORD[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    for (char c = '0'; c <= '9'; c++) {
      TRIGGER[c] = DIGIT;
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      TRIGGER[c] = LETTER_TRIGGER; // key prefixes (AKIA, AIza…), IBANs, UK NI numbers, "Bearer", "SECRET"
    }
    for (char c : "sSrgxeb".toCharArray()) {
      TRIGGER[c] = LETTER_TRIGGER; // sk-…, rk_live_…, ghp_…, xoxb-…, eyJ… (JWT), bearer, secret
    }
    for (char c : "@+(-".toCharArray()) {
      TRIGGER[c] = OTHER_TRIGGER;
    }
  }

  private static final int MAX_LOCAL = 64;
  private static final int MAX_DOMAIN = 253;
  private static final int MAX_KEY = 512;
  private static final int MAX_JWT_HEADER = 2048;
  private static final int MAX_PEM_HEADER = 64;

  private final String s;
  private final int n;
  /** Token detectors (keys, JWTs, bearer tokens) do not start again inside a token they rejected. */
  private int tokensFrom;
  private NumberFinder numbers;

  private PiiScanner(String s) {
    this.s = s;
    this.n = s.length();
  }

  /** The findings in {@code text}, in order and not overlapping; null when there are none. */
  static List<Finding> scan(String text) {
    return new PiiScanner(text).run();
  }

  /**
   * Walks the text a word at a time: detectors run only where a word (or an {@code @}, {@code +},
   * {@code (}, {@code -}) starts, and the rest of a word costs one table read per character.
   */
  private List<Finding> run() {
    List<Finding> out = null;
    int floor = 0;
    int i = 0;
    while (i < n) {
      char c = s.charAt(i);
      Finding f = null;
      int next = i + 1;
      if (c < 128 ? WORD[c] : Character.isLetterOrDigit(c)) {
        if (c < 128 && TRIGGER[c] != 0 && boundaryBefore(i)) {
          f = atWordStart(i, c);
        }
        if (f == null) {
          // the rest of the word: only a label such as aws_secret_access_key can start inside one
          int j = i;
          while (j < n) {
            char d = s.charAt(j);
            if (d < 128 ? !WORD[d] : !Character.isLetterOrDigit(d)) {
              break;
            }
            if ((d == 's' || d == 'S') && (f = labelledSecret(j)) != null) {
              break;
            }
            j++;
          }
          next = j;
        }
      } else if (c == '\\' && i + 1 < n) {
        // a JSON escape: the word after \n starts after the n
        char e = s.charAt(i + 1);
        next = "ntrbf".indexOf(e) >= 0 ? i + 2 : e == 'u' && i + 5 < n ? i + 6 : i + 1;
      } else if (c == '@') {
        f = email(i, floor);
      } else if (c == '-') {
        f = privateKey(i);
      } else if ((c == '+' || c == '(') && numberStart(i, c)) {
        f = number(i);
      }
      if (f == null) {
        i = Math.max(next, i + 1);
        continue;
      }
      if (out == null) {
        out = new ArrayList<>(4);
      }
      out.add(f);
      floor = f.end();
      i = f.end();
    }
    return out;
  }

  private Finding atWordStart(int i, char c) {
    if (isDigit(c)) {
      return numberStart(i, c) ? number(i) : null;
    }
    Finding f = (c == 's' || c == 'S') ? labelledSecret(i) : null;
    if (f == null && i >= tokensFrom) {
      f = token(i, c);
      if (f == null && c >= 'A' && c <= 'Z') {
        f = numbers().lettered(i);
      }
    }
    return f;
  }

  private Finding number(int i) {
    NumberFinder nf = numbers();
    return i >= nf.numbersFrom ? nf.numeric(i) : null;
  }

  private NumberFinder numbers() {
    if (numbers == null) {
      numbers = new NumberFinder(s);
    }
    return numbers;
  }

  // ---- boundaries -------------------------------------------------------------------------------

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  static boolean isWord(char c) {
    if (c < 128) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }
    return Character.isLetterOrDigit(c);
  }

  /**
   * Whether a token may start at {@code i}: the text starts there or the character before is not
   * part of a word. A JSON escape ({@code \n}, {@code \t}…) counts as a separator, so content in
   * JSON strings is read as it would be once decoded.
   */
  boolean boundaryBefore(int i) {
    if (i == 0) {
      return true;
    }
    char p = s.charAt(i - 1);
    if (!isWord(p)) {
      return true;
    }
    if (i >= 2 && s.charAt(i - 2) == '\\' && "ntrbf".indexOf(p) >= 0) {
      return true;
    }
    // after a JSON unicode escape (backslash, u, four hex digits)
    return i >= 6 && s.charAt(i - 6) == '\\' && s.charAt(i - 5) == 'u' && isHex(s.charAt(i - 4))
        && isHex(s.charAt(i - 3)) && isHex(s.charAt(i - 2)) && isHex(p);
  }

  private static boolean isHex(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }

  /** Whether a number may start here: a boundary, and not the fraction or tail of a longer number. */
  private boolean numberStart(int i, char c) {
    if (c == '(' || c == '+') {
      if (i + 1 >= n || !(isDigit(s.charAt(i + 1)) || (c == '+' && s.charAt(i + 1) == '('))) {
        return false;
      }
    }
    if (!boundaryBefore(i)) {
      return false;
    }
    if (i >= 1) {
      char p = s.charAt(i - 1);
      if ("$€£¥".indexOf(p) >= 0) {
        return false; // a price
      }
      if (i >= 2 && ".,-/:".indexOf(p) >= 0 && isDigit(s.charAt(i - 2))) {
        return false; // "3.14", "2024-01-15", "12:30": read from the start of the whole number
      }
    }
    return true;
  }

  // ---- email ------------------------------------------------------------------------------------

  private static boolean isLocal(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
        || c == '%' || c == '+' || c == '-';
  }

  private static boolean isDomain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
  }

  /** {@code local@domain.tld} around the {@code @} at {@code at}; the local part never reaches before {@code floor}. */
  private Finding email(int at, int floor) {
    int start = at;
    int min = Math.max(floor, at - MAX_LOCAL);
    while (start > min && isLocal(s.charAt(start - 1))) {
      if (start >= 2 && s.charAt(start - 2) == '\\') {
        break; // the character before is the letter of a JSON escape such as \n
      }
      start--;
    }
    if (start == at - MAX_LOCAL && start > floor && isLocal(s.charAt(start - 1))) {
      return null; // a local part longer than an address allows
    }
    while (start < at && (s.charAt(start) == '.' || s.charAt(start) == '-')) {
      start++;
    }
    if (start == at) {
      return null;
    }
    int end = at + 1;
    int max = Math.min(n, at + 1 + MAX_DOMAIN);
    while (end < max && isDomain(s.charAt(end))) {
      end++;
    }
    while (end > at + 1 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == '-')) {
      end--; // the full stop that ends a sentence
    }
    int lastDot = end - 1;
    while (lastDot > at && s.charAt(lastDot) != '.') {
      lastDot--;
    }
    if (lastDot <= at + 1 || end - lastDot - 1 < 2) {
      return null;
    }
    for (int k = lastDot + 1; k < end; k++) {
      char c = s.charAt(k);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
        return null; // "pkg@1.2.3" names a version, not a mailbox
      }
    }
    for (int k = at + 1; k < lastDot; k++) {
      if (s.charAt(k) == '.' && s.charAt(k + 1) == '.') {
        return null;
      }
    }
    return new Finding(start, end, PiiKind.EMAIL);
  }

  // ---- keys, tokens, JWTs ------------------------------------------------------------------------

  private static final String ALNUM = "alnum";
  private static final String KEY = "key";      // [A-Za-z0-9_-]: also base64url
  private static final String UPPER_ALNUM = "upper";
  private static final String GH_PAT = "ghpat";  // [A-Za-z0-9_]
  private static final String SLACK = "slack";  // [A-Za-z0-9-]
  private static final String BEARER = "bearer"; // RFC 6750 b64token: [A-Za-z0-9._~+/=-]

  private static boolean in(String alphabet, char c) {
    boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    return switch (alphabet) {
      case ALNUM -> alnum;
      case KEY -> alnum || c == '_' || c == '-';
      case UPPER_ALNUM -> (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      case GH_PAT -> alnum || c == '_';
      case SLACK -> alnum || c == '-';
      case BEARER -> alnum || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' || c == '=' || c == '-';
      default -> false;
    };
  }

  /** The end of the run of {@code alphabet} characters from {@code from}, looking at most {@code max} further. */
  private int runEnd(String alphabet, int from, int max) {
    int limit = (int) Math.min(n, (long) from + max + 1);
    int k = from;
    while (k < limit && in(alphabet, s.charAt(k))) {
      k++;
    }
    return k;
  }

  /**
   * A credential or JWT starting at {@code i}. Prefixes as the providers document them (OpenAI
   * {@code sk-}/{@code sk-proj-}, Anthropic {@code sk-ant-}, GitHub {@code ghp_}…/{@code github_pat_},
   * Slack {@code xox?-}, Stripe {@code sk_live_}/{@code rk_live_}, Google {@code AIza}, AWS access key
   * ids {@code AKIA}/{@code ASIA}); RFC 6750 {@code Bearer} tokens; RFC 7519 JWTs.
   */
  private Finding token(int i, char c) {
    Finding f = switch (c) {
      case 's' -> {
        if (s.startsWith("sk-", i)) {
          yield key(i, 3, KEY, 20, true);
        }
        yield s.startsWith("sk_live_", i) || s.startsWith("sk_test_", i) ? key(i, 8, ALNUM, 16, false) : null;
      }
      case 'r' -> s.startsWith("rk_live_", i) || s.startsWith("rk_test_", i) ? key(i, 8, ALNUM, 16, false) : null;
      case 'g' -> {
        if (s.startsWith("github_pat_", i)) {
          yield key(i, 11, GH_PAT, 40, false);
        }
        yield s.startsWith("gh", i) && i + 3 < n && "pousr".indexOf(s.charAt(i + 2)) >= 0 && s.charAt(i + 3) == '_'
            ? key(i, 4, ALNUM, 30, false) : null;
      }
      case 'x' -> s.startsWith("xox", i) && i + 4 < n && "abpr".indexOf(s.charAt(i + 3)) >= 0
          && s.charAt(i + 4) == '-' ? key(i, 5, SLACK, 10, false) : null;
      case 'e' -> s.startsWith("eyJ", i) ? jwt(i) : null;
      case 'A' -> {
        if (s.startsWith("AIza", i)) {
          yield exactKey(i, 4, KEY, 35);
        }
        yield s.startsWith("AKIA", i) || s.startsWith("ASIA", i) ? exactKey(i, 4, UPPER_ALNUM, 16) : null;
      }
      default -> null;
    };
    if (f == null && (c == 'B' || c == 'b') && s.regionMatches(true, i, "bearer", 0, 6)) {
      f = bearer(i);
    }
    return f;
  }

  /** A key: {@code prefix} then at least {@code min} characters of {@code alphabet}. */
  private Finding key(int i, int prefix, String alphabet, int min, boolean needsDigit) {
    int end = runEnd(alphabet, i + prefix, MAX_KEY);
    int len = end - i - prefix;
    if (len >= min && len <= MAX_KEY && (!needsDigit || hasDigitAndLetter(i + prefix, end))) {
      return new Finding(i, end, PiiKind.API_KEY);
    }
    rejected(i);
    return null;
  }

  /** A key of exactly {@code len} characters after its prefix, not followed by another letter or digit. */
  private Finding exactKey(int i, int prefix, String alphabet, int len) {
    int end = runEnd(alphabet, i + prefix, len + 1);
    if (end - i - prefix == len && (end >= n || !isWord(s.charAt(end)))) {
      return new Finding(i, end, PiiKind.API_KEY);
    }
    rejected(i);
    return null;
  }

  private boolean hasDigitAndLetter(int from, int to) {
    boolean digit = false;
    boolean letter = false;
    for (int k = from; k < to && !(digit && letter); k++) {
      char c = s.charAt(k);
      digit |= isDigit(c);
      letter |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    return digit && letter;
  }

  /** Token detectors will not start again inside the word that was just rejected (linear time). */
  private void rejected(int i) {
    tokensFrom = Math.max(tokensFrom, runEnd(KEY, i, Integer.MAX_VALUE - 1));
  }

  /** {@code Bearer <token>}: the token is masked, the word "Bearer" kept. */
  private Finding bearer(int i) {
    int k = i + 6;
    int spaces = 0;
    while (k < n && s.charAt(k) == ' ' && spaces < 4) {
      k++;
      spaces++;
    }
    if (spaces == 0) {
      return null;
    }
    int end = runEnd(BEARER, k, 4096);
    if (end - k >= 16 && end - k <= 4096 && hasDigitAndLetter(k, end)) {
      Finding jwt = s.startsWith("eyJ", k) ? jwt(k) : null;
      return jwt != null && jwt.end() == end ? jwt : new Finding(k, end, PiiKind.API_KEY);
    }
    tokensFrom = Math.max(tokensFrom, end);
    return null;
  }

  /** A JWT (or JWE): base64url parts joined by dots, the first a JSON header naming its algorithm. */
  private Finding jwt(int i) {
    int end1 = runEnd(KEY, i, Integer.MAX_VALUE - 1);
    int end = end1;
    int parts = 1;
    while (parts < 5 && end < n && s.charAt(end) == '.') {
      int next = runEnd(KEY, end + 1, Integer.MAX_VALUE - 1);
      if (next == end + 1) {
        if (parts == 2) {
          end = next; // an unsigned JWT ends in an empty signature
          parts++;
        }
        break;
      }
      end = next;
      parts++;
    }
    if (parts >= 3 && end1 - i <= MAX_JWT_HEADER && jsonHeader(i, end1)) {
      return new Finding(i, end, PiiKind.JWT);
    }
    tokensFrom = Math.max(tokensFrom, end);
    return null;
  }

  private boolean jsonHeader(int from, int to) {
    try {
      String header = new String(Base64.getUrlDecoder().decode(s.substring(from, to)), StandardCharsets.UTF_8);
      return header.startsWith("{") && header.contains("\"alg\"");
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  // ---- labelled secrets and private keys ---------------------------------------------------------

  /**
   * A 40-character AWS secret access key right after a label that names a secret
   * ({@code aws_secret_access_key = …}, {@code "SecretAccessKey": "…"}): unlabelled, such a string
   * cannot be told from any other base64.
   */
  private Finding labelledSecret(int i) {
    if (!s.regionMatches(true, i, "secret", 0, 6)) {
      return null;
    }
    int k = i + 6;
    int tail = 0;
    while (k < n && tail < 24 && (Character.isLetter(s.charAt(k)) || s.charAt(k) == '_')) {
      k++;
      tail++;
    }
    int seps = 0;
    while (k < n && seps < 10 && " \t:=\"'\\".indexOf(s.charAt(k)) >= 0) {
      k++;
      seps++;
    }
    if (seps == 0 || k >= n) {
      return null;
    }
    int end = k;
    while (end < n && end - k <= 40 && isSecretChar(s.charAt(end))) {
      end++;
    }
    if (end - k != 40) {
      return null;
    }
    boolean letter = false;
    boolean other = false;
    for (int j = k; j < end; j++) {
      char c = s.charAt(j);
      letter |= Character.isLetter(c);
      other |= isDigit(c) || c == '/' || c == '+';
    }
    return letter && other ? new Finding(k, end, PiiKind.API_KEY) : null;
  }

  private static boolean isSecretChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' || c == '+'
        || c == '=';
  }

  /**
   * A PEM private key block, {@code -----BEGIN … PRIVATE KEY-----} to its END line (or to where
   * the base64 stops, for a block cut short). The body may hold JSON escapes ({@code \n}) but never a
   * quote, so the mask stays inside one JSON string.
   */
  private Finding privateKey(int i) {
    if (!s.startsWith("-----BEGIN ", i)) {
      return null;
    }
    int headerEnd = dashes(i + 11);
    if (headerEnd < 0) {
      return null;
    }
    if (!s.substring(i + 11, headerEnd).contains("PRIVATE KEY")) {
      return null;
    }
    int k = headerEnd + 5;
    while (k < n && isPemBody(s.charAt(k)) && !s.startsWith("-----", k)) {
      k++;
    }
    if (s.startsWith("-----END ", k)) {
      int close = dashes(k + 9);
      if (close >= 0) {
        return new Finding(i, close + 5, PiiKind.PRIVATE_KEY);
      }
    }
    return new Finding(i, k, PiiKind.PRIVATE_KEY);
  }

  /** Where the next {@code -----} starts within a PEM header's length of {@code from}; -1 if not there. */
  private int dashes(int from) {
    int limit = Math.min(n - 5, from + MAX_PEM_HEADER);
    for (int k = from; k <= limit; k++) {
      if (s.startsWith("-----", k)) {
        return k;
      }
    }
    return -1;
  }

  private static boolean isPemBody(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
        || c == '=' || c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\\' || c == ':' || c == ','
        || c == '-' || c == '.';
  }
}
