package dev.sightline.store;

import java.util.Locale;

/**
 * What LLM aggregates group by. {@code MODEL} is the response model, else the request model;
 * {@code USER} and {@code SESSION} are the call's end user and session ids.
 */
public enum GroupBy {
  MODEL, PROVIDER, SERVICE, ROUTE, USER, SESSION;

  public static GroupBy parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("groupBy must be one of model, provider, service, route, user, session;"
          + " got '" + s + "'");
    }
  }
}
