package dev.sightline.pipeline;

import java.util.Set;

/**
 * The number-shaped detectors of {@link PiiScanner}: payment cards (Luhn), phone numbers, US SSNs,
 * UK National Insurance numbers and IBANs (mod 97). Each reads at most a few dozen characters from
 * its start, and checks enough structure that order ids, prices, dates, versions, IP addresses and
 * UUIDs are left alone.
 */
final class NumberFinder {
  private static final int MAX_GROUPS = 7;
  private static final int MAX_DIGITS = 19;

  private final String s;
  private final int n;
  // the digit groups of the number being read; reused, one finder per scan
  private final int[] start = new int[MAX_GROUPS];
  private final int[] len = new int[MAX_GROUPS];
  private final boolean[] paren = new boolean[MAX_GROUPS];
  /** The separator after each group: ' ', '-', '.', or 0 (none, after a closing parenthesis). */
  private final char[] sep = new char[MAX_GROUPS];

  /** Numbers start no earlier than this: set past an IBAN-shaped run that failed its check. */
  int numbersFrom;

  NumberFinder(String s) {
    this.s = s;
    this.n = s.length();
  }

  // ---- digits: cards, phones, SSNs --------------------------------------------------------------

  /** A card, SSN or phone number starting at {@code i} (a digit, {@code +} or {@code (}). */
  PiiScanner.Finding numeric(int i) {
    int p = i;
    boolean plus = s.charAt(p) == '+';
    if (plus) {
      p++;
    }
    int groups = 0;
    int digits = 0;
    int end = -1;
    boolean more = false;
    while (true) {
      int q = p;
      boolean inParen = q < n && s.charAt(q) == '(';
      if (inParen) {
        q++;
      }
      int ds = q;
      while (q < n && PiiScanner.isDigit(s.charAt(q)) && q - ds <= MAX_DIGITS) {
        q++;
      }
      if (q == ds || q - ds > MAX_DIGITS) {
        if (groups == 0 || q - ds > MAX_DIGITS) {
          return null;
        }
        break;
      }
      if (inParen) {
        if (q >= n || s.charAt(q) != ')') {
          if (groups == 0) {
            return null;
          }
          break;
        }
        q++;
      }
      if (groups == MAX_GROUPS) {
        more = true;
        break;
      }
      start[groups] = ds;
      len[groups] = q - ds - (inParen ? 1 : 0);
      paren[groups] = inParen;
      sep[groups] = 0;
      digits += len[groups];
      groups++;
      end = q;
      if (digits > MAX_DIGITS + 4) {
        return null;
      }
      if (q < n) {
        char c = s.charAt(q);
        if ((c == ' ' || c == '-' || c == '.') && q + 1 < n
            && (PiiScanner.isDigit(s.charAt(q + 1)) || s.charAt(q + 1) == '(')) {
          sep[groups - 1] = c;
          p = q + 1;
          continue;
        }
        if (inParen && (PiiScanner.isDigit(c) || c == '(')) {
          p = q;
          continue;
        }
      }
      break;
    }
    if (more || (end < n && (PiiScanner.isWord(s.charAt(end)) || s.charAt(end) == '@'))) {
      return null; // the number goes on past what any of these formats allows, or is part of a word
    }
    if (end + 1 < n && (s.charAt(end) == '.' || s.charAt(end) == ',') && PiiScanner.isDigit(s.charAt(end + 1))) {
      return null;
    }
    PiiKind kind = !plus && ssn(groups) ? PiiKind.NATIONAL_ID
        : !plus && card(groups, digits) ? PiiKind.CARD
        : phone(plus, groups, digits) ? PiiKind.PHONE : null;
    return kind == null ? null : new PiiScanner.Finding(i, end, kind);
  }

  private int value(int group) {
    return Integer.parseInt(s, start[group], start[group] + len[group], 10);
  }

  private char firstDigit(int group) {
    return s.charAt(start[group]);
  }

  private boolean anyParen(int from, int groups) {
    for (int g = from; g < groups; g++) {
      if (paren[g]) {
        return true;
      }
    }
    return false;
  }

  /** Every separator between groups {@code from..groups-1} is {@code c}. */
  private boolean separatedBy(int from, int groups, char c) {
    for (int g = from; g < groups - 1; g++) {
      if (sep[g] != c) {
        return false;
      }
    }
    return true;
  }

  /**
   * A US Social Security number written {@code 123-45-6789} (or with spaces), outside the ranges
   * the SSA never issues: area 000, 666 or 900–999, group 00, serial 0000.
   */
  private boolean ssn(int groups) {
    if (groups != 3 || len[0] != 3 || len[1] != 2 || len[2] != 4 || anyParen(0, groups)
        || !(separatedBy(0, 3, '-') || separatedBy(0, 3, ' '))) {
      return false;
    }
    int area = value(0);
    return area != 0 && area != 666 && area < 900 && value(1) != 0 && value(2) != 0;
  }

  /**
   * A payment card: 13–19 digits in one run or in the groups cards are printed in (fours, or
   * American Express / Diners 4-6-5 and 4-6-4), separated alike by spaces or dashes, with an issuer
   * prefix of a card network and a valid Luhn check digit.
   */
  private boolean card(int groups, int digits) {
    if (digits < 13 || digits > MAX_DIGITS || anyParen(0, groups)) {
      return false;
    }
    if (groups > 1) {
      if (!(separatedBy(0, groups, ' ') || separatedBy(0, groups, '-'))) {
        return false;
      }
      boolean fours = true;
      for (int g = 0; g < groups - 1; g++) {
        fours &= len[g] == 4;
      }
      fours &= len[groups - 1] <= 4;
      boolean amex = groups == 3 && len[0] == 4 && len[1] == 6 && (len[2] == 5 || len[2] == 4);
      if (!fours && !amex) {
        return false;
      }
    }
    char[] d = new char[digits];
    int k = 0;
    for (int g = 0; g < groups; g++) {
      s.getChars(start[g], start[g] + len[g], d, k);
      k += len[g];
    }
    return issuer(d) && luhn(d);
  }

  /** Prefixes of the major networks: Visa 4, Mastercard 51–55 / 2221–2720, Amex 34 / 37, Discover, JCB, Diners, UnionPay. */
  private static boolean issuer(char[] d) {
    int two = (d[0] - '0') * 10 + (d[1] - '0');
    int four = two * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    return d[0] == '4' || (two >= 51 && two <= 55) || (four >= 2221 && four <= 2720) || two == 34 || two == 37
        || two == 36 || two == 38 || two == 30 || two == 35 || two == 62 || two == 65 || four == 6011
        || (four >= 6440 && four <= 6499);
  }

  static boolean luhn(char[] d) {
    int sum = 0;
    boolean twice = false;
    for (int k = d.length - 1; k >= 0; k--) {
      int v = d[k] - '0';
      if (twice) {
        v *= 2;
        if (v > 9) {
          v -= 9;
        }
      }
      sum += v;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /**
   * A phone number: international ({@code +} or {@code 00}, then 8–15 digits, E.164); North
   * American ({@code (415) 555-2671}, {@code 415-555-2671}, {@code 1-800-555-0199}); or a national
   * number with a leading 0 written in groups ({@code 020 7946 0958}, {@code 06 12 34 56 78}). A
   * plain run of digits without {@code +} is never taken for a phone: it is as likely an id.
   */
  private boolean phone(boolean plus, int groups, int digits) {
    if (plus) {
      return digits >= 8 && digits <= 15 && firstDigit(0) != '0';
    }
    if (groups < 2) {
      return false;
    }
    if (firstDigit(0) == '0' && len[0] >= 2) {
      if (s.charAt(start[0] + 1) == '0') {
        // 0044 20 7946 0958: 00, a country code (1-3 digits, not starting with 0), a number without its trunk 0
        return len[0] >= 3 && len[0] <= 5 && s.charAt(start[0] + 2) != '0' && firstDigit(1) != '0'
            && digits >= 10 && digits <= 17;
      }
      for (int g = 0; g < groups; g++) {
        if (len[g] < 2) {
          return false;
        }
      }
      return digits >= 10 && digits <= 11 && !anyParen(1, groups)
          && (paren[0] ? separatedBy(1, groups, sep[1]) : separatedBy(0, groups, sep[0]));
    }
    int k = groups == 4 && len[0] == 1 && firstDigit(0) == '1' ? 1 : 0;
    if (groups - k != 3 || len[k] != 3 || len[k + 1] != 3 || len[k + 2] != 4 || anyParen(k + 1, groups)) {
      return false;
    }
    if (firstDigit(k) < '2' || firstDigit(k + 1) < '2') {
      return false; // North American area codes and exchanges start with 2–9
    }
    if (paren[k]) {
      return sep[k] == ' ' || sep[k] == 0;
    }
    return sep[k] != 0 && sep[k] == sep[k + 1] && (k == 0 || sep[0] == sep[k]);
  }

  // ---- letters and digits: IBAN, UK National Insurance number -----------------------------------

  /** An IBAN or a UK National Insurance number starting at the upper-case letter at {@code i}. */
  PiiScanner.Finding lettered(int i) {
    if (i + 3 >= n || !upper(s.charAt(i + 1))) {
      return null;
    }
    if (PiiScanner.isDigit(s.charAt(i + 2))) {
      PiiScanner.Finding f = PiiScanner.isDigit(s.charAt(i + 3)) ? iban(i) : null;
      return f != null ? f : nino(i);
    }
    return s.charAt(i + 2) == ' ' ? nino(i) : null;
  }

  private static boolean upper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  /** Countries that issue IBANs (ISO 13616 registry). */
  private static final Set<String> IBAN_COUNTRIES = Set.of(("AD AE AL AT AZ BA BE BG BH BI BR BY CH CR CY CZ DE DJ "
      + "DK DO EE EG ES FI FK FO FR GB GE GI GL GR GT HN HR HU IE IL IQ IS IT JO KW KZ LB LC LI LT LU LV LY MC MD ME "
      + "MK MN MR MT MU NI NL NO OM PK PL PS PT QA RO RS RU SA SC SD SE SI SK SM SO ST SV TL TN TR UA VA VG XK YE")
      .split(" "));

  /**
   * An IBAN, compact or in groups of four: country, check digits, then an account part of
   * letters and digits; 15–34 characters whose ISO 7064 mod-97 remainder is 1. Where the groups
   * run on into other upper-case words, the longest valid prefix is taken.
   */
  private PiiScanner.Finding iban(int i) {
    if (!IBAN_COUNTRIES.contains(s.substring(i, i + 2))) {
      return null;
    }
    // The check moves country and check digits to the end: fold the account part in as it is
    // read, and at each possible end try the remainder with those four appended.
    int tail = mod97(mod97(0, s.charAt(i)), s.charAt(i + 1));
    tail = mod97(mod97(tail, s.charAt(i + 2)), s.charAt(i + 3));
    int k = i + 4;
    int chars = 4;
    int r = 0;
    int best = -1;
    boolean grouped = k < n && s.charAt(k) == ' ';
    int inGroup = 0;
    while (chars < 34) {
      if (k >= n) {
        break;
      }
      char c = s.charAt(k);
      if (upper(c) || PiiScanner.isDigit(c)) {
        if (grouped && inGroup == 4) {
          break;
        }
        r = mod97(r, c);
        chars++;
        inGroup++;
        k++;
        continue;
      }
      if (grouped && c == ' ' && (inGroup == 4 || chars == 4) && k + 1 < n
          && (upper(s.charAt(k + 1)) || PiiScanner.isDigit(s.charAt(k + 1)))) {
        if (chars >= 15 && endsHere(k) && appended(r, tail) == 1) {
          best = k;
        }
        inGroup = 0;
        k++;
        continue;
      }
      break;
    }
    if (chars >= 15 && endsHere(k) && appended(r, tail) == 1) {
      best = k;
    }
    if (best < 0 && chars >= 15) {
      numbersFrom = k; // an IBAN with a typo: its digit groups are not a card or a phone either
    }
    return best < 0 ? null : new PiiScanner.Finding(i, best, PiiKind.IBAN);
  }

  private boolean endsHere(int k) {
    return k >= n || !PiiScanner.isWord(s.charAt(k));
  }

  /** The remainder of (number so far, then character {@code c}) mod 97; letters count as 10–35. */
  private static int mod97(int r, char c) {
    if (c >= '0' && c <= '9') {
      return (r * 10 + (c - '0')) % 97;
    }
    return (r * 100 + (c - 'A' + 10)) % 97;
  }

  /** {@code r} with the country and check digits appended, whose own remainder {@code tail} covers 6 digits. */
  private static int appended(int r, int tail) {
    return (int) ((r * 1_000_000L + tail) % 97);
  }

  private static final Set<String> NINO_NEVER = Set.of("BG", "GB", "KN", "NK", "NT", "TN", "ZZ");

  /**
   * A UK National Insurance number ({@code AB 12 34 56 C} or {@code AB123456C}): a prefix HMRC
   * issues (first letter not D, F, I, Q, U, V; second not D, F, I, O, Q, U, V; not BG, GB, KN, NK,
   * NT, TN, ZZ), six digits, and a suffix A–D.
   */
  private PiiScanner.Finding nino(int i) {
    char a = s.charAt(i);
    char b = s.charAt(i + 1);
    if ("DFIQUV".indexOf(a) >= 0 || "DFIOQUV".indexOf(b) >= 0) {
      return null;
    }
    String prefix = s.substring(i, i + 2);
    if (NINO_NEVER.contains(prefix)) {
      return null;
    }
    boolean spaced = s.charAt(i + 2) == ' ';
    int k = i + 2;
    for (int pair = 0; pair < 3; pair++) {
      if (spaced) {
        if (k >= n || s.charAt(k) != ' ') {
          return null;
        }
        k++;
      }
      if (k + 1 >= n || !PiiScanner.isDigit(s.charAt(k)) || !PiiScanner.isDigit(s.charAt(k + 1))) {
        return null;
      }
      k += 2;
    }
    if (spaced) {
      if (k >= n || s.charAt(k) != ' ') {
        return null;
      }
      k++;
    }
    if (k >= n || s.charAt(k) < 'A' || s.charAt(k) > 'D' || !endsHere(k + 1)) {
      return null;
    }
    return new PiiScanner.Finding(i, k + 1, PiiKind.NATIONAL_ID);
  }
}
