package dev.sightline.access;

/**
 * How long a project keeps its data: raw calls, spans, logs and metric points ({@code dataDays}),
 * and prompt / completion content ({@code contentDays}), which may go sooner while the numbers stay.
 *
 * @param dataDays days to keep data; null: keep (or the server-wide default)
 * @param contentDays days to keep content; null: keep (or the server-wide default)
 */
public record Retention(Integer dataDays, Integer contentDays) {
  /** Nothing set: the project follows the server-wide defaults (which keep everything unless set). */
  public static final Retention FOREVER = new Retention(null, null);
  /** The longest retention accepted (about 100 years); more is surely a typo. */
  public static final int MAX_DAYS = 36_500;

  public Retention {
    check("data retention", dataDays);
    check("content retention", contentDays);
  }

  private static void check(String what, Integer days) {
    if (days != null && (days < 1 || days > MAX_DAYS)) {
      throw new IllegalArgumentException(what + " must be from 1 to " + MAX_DAYS + " days, or unset to keep; got "
          + days);
    }
  }
}
