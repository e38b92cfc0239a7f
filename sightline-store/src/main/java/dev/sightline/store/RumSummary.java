package dev.sightline.store;

import java.util.List;

/**
 * What real users saw in a window, from the browser spans of the real-user agent: page views and
 * Web Vitals per route, and API requests per fetch span name with the time to the first token the
 * user saw beside the server's TTFT of the same trace. Figures are null when there is no data.
 */
public record RumSummary(Totals totals, List<Page> pages, List<Request> requests) {
  public RumSummary {
    pages = List.copyOf(pages);
    requests = List.copyOf(requests);
  }

  /**
   * Over every page and request of the window; {@code errors} counts JS error events and failed
   * requests.
   */
  public record Totals(long pageViews, Double lcpP75Ms, Double inpP75Ms, Double clsP75, long requests,
      Double userTtftP50Ms, Double userTtftP95Ms, Double serverTtftP50Ms, Double serverTtftP95Ms, Double gapP50Ms,
      long errors) {}

  /**
   * One page route: views (page loads), Web Vitals p75 over its page views (each view's largest
   * reported value), the page load duration's median, and the JS errors reported on it.
   */
  public record Page(String route, long views, Double lcpP75Ms, Double inpP75Ms, Double clsP75, Double loadP50Ms,
      long errors) {}

  /**
   * One API request route (the fetch span's name, such as {@code POST /api/chat}): the user's TTFT
   * ({@code rum.first_token_ms}), the server's (the trace's earliest LLM call that has one), and the
   * median of the per-request difference user − server.
   */
  public record Request(String route, long requests, long errors, Double userTtftP50Ms, Double userTtftP95Ms,
      Double serverTtftP50Ms, Double serverTtftP95Ms, Double gapP50Ms) {}
}
