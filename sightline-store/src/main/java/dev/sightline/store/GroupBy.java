package dev.sightline.store;

import java.util.Locale;

/** What the LLM summary groups by. {@code MODEL} is the response model, else the request model. */
public enum GroupBy {
  MODEL, PROVIDER, SERVICE, ROUTE;

  public static GroupBy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("groupBy must be one of model, provider, service, route; got '" + s + "'");
    }
  }
}
