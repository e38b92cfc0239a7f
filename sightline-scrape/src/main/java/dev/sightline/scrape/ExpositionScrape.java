package dev.sightline.scrape;

import java.net.http.HttpClient;
import java.util.List;
import java.util.Locale;

/** Fetches a Prometheus / OpenMetrics page and reads it, keeping what parsed from a partly bad page. */
final class ExpositionScrape implements Collector {

  /** OpenMetrics first, the classic text format next, anything last (the order Prometheus asks in). */
  static final String ACCEPT =
      "application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
  static final int MAX_PAGE_ERRORS = 20;

  private final ScrapeTarget target;
  private final HttpClient client;

  ExpositionScrape(ScrapeTarget target, HttpClient client) {
    this.target = target;
    this.client = client;
  }

  @Override
  public ScrapeResult collect(long startEpochNanos) throws InterruptedException {
    HttpPage.Page page;
    try {
      page = HttpPage.get(client, target.url(), ACCEPT, target.timeout());
    } catch (HttpPage.Failure f) {
      return ScrapeResult.failed(f.getMessage());
    }
    String type = page.contentType().toLowerCase(Locale.ROOT).strip();
    PrometheusText.Parsed parsed;
    if (type.startsWith("application/openmetrics-text")) {
      parsed = PrometheusText.parse(page.text(), startEpochNanos, target.name(), true);
    } else if (type.startsWith("text/plain")) {
      parsed = PrometheusText.parse(page.text(), startEpochNanos, target.name(), false);
    } else {
      // no or an odd content type: let the page say which format it is (# EOF)
      parsed = PrometheusText.parse(page.text(), startEpochNanos, target.name());
    }
    return judge(parsed);
  }

  /**
   * A page with unreadable lines keeps its good points and stays up when at least one sample was read
   * (one broken exporter line should not hide the engine); a page with nothing readable is down.
   */
  static ScrapeResult judge(PrometheusText.Parsed parsed) {
    List<String> errors = parsed.errors();
    if (errors.isEmpty()) {
      return ScrapeResult.ok(parsed.points());
    }
    int count = errors.size();
    String last = errors.get(count - 1);
    if (last.startsWith("… and ")) { // the parser's own cap: "… and N more errors"
      String n = last.substring("… and ".length()).split(" ", 2)[0];
      boolean number = !n.isEmpty() && n.length() < 10 && n.chars().allMatch(Character::isDigit);
      count = count - 1 + (number ? Integer.parseInt(n) : 0);
    }
    String summary = count + (count == 1 ? " line" : " lines") + " could not be read: " + errors.get(0);
    List<String> first = errors.subList(0, Math.min(MAX_PAGE_ERRORS, errors.size()));
    return new ScrapeResult(parsed.points(), !parsed.points().isEmpty(), summary, first, false);
  }
}
