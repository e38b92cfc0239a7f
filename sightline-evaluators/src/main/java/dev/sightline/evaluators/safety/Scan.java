package dev.sightline.evaluators.safety;

/** Text preparation shared by the safety evaluators: bounded length, control characters removed. */
final class Scan {

  private Scan() {}

  static String clean(String s, int max) {
    if (s == null) {
      return "";
    }
    String t = s.length() > max ? s.substring(0, max) : s;
    StringBuilder b = new StringBuilder(t.length());
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      b.append(Character.isISOControl(c) && c != '\n' && c != '\t' ? ' ' : c);
    }
    return b.toString();
  }

  static String shorten(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
