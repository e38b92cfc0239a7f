package dev.sightline.model;

import java.util.Locale;

/** Whether a call's cost is known. Unpriced is never the same as free. */
public enum CostStatus {
  /** Priced from the catalog (possibly at $0 where the price really is zero). */
  PRICED,
  /** No price for this model: cost is null, with a reason. */
  UNPRICED,
  /** The call has a price but no usable token counts: cost is null, with a reason. */
  NO_USAGE;

  // Computed once: wire() runs for every stored row.
  private final String wire = name().toLowerCase(Locale.ROOT);

  public String wire() {
    return wire;
  }

  public static CostStatus fromWire(String s) {
    return s == null ? null : valueOf(s.toUpperCase(Locale.ROOT));
  }
}
