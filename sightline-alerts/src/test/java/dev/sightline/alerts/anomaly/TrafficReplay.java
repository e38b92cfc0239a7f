package dev.sightline.alerts.anomaly;

import dev.sightline.model.CallContext;
import dev.sightline.model.CallStatus;
import dev.sightline.model.Content;
import dev.sightline.model.Cost;
import dev.sightline.model.CostStatus;
import dev.sightline.model.LlmCall;
import dev.sightline.model.Outcome;
import dev.sightline.model.Span;
import dev.sightline.model.SpanCategory;
import dev.sightline.model.SpanKind;
import dev.sightline.model.SpanStatus;
import dev.sightline.model.TelemetryBatch;
import dev.sightline.model.Timing;
import dev.sightline.model.Usage;
import dev.sightline.store.Store;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Synthetic hourly LLM traffic with a daily curve (20 to 60 calls an hour, ±5 % seeded noise), 40 %
 * of it summarizing on a cached claude model and 60 % chatting on gpt-4o-mini, spread over ten users;
 * an {@link Incident} may reshape the calls of chosen hours. Written through the store like real spans.
 */
final class TrafficReplay {

  /** A Monday, so that hour-of-week and day numbers line up. */
  static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  static final String CHAT = "POST /chat";
  static final String SUMMARIZE = "POST /summarize";

  /** USD per token: input, cache read, output (made-up list prices, only their ratios matter). */
  static final Map<String, BigDecimal[]> PRICES = Map.of(
      "gpt-4o-mini", usd("0.15", "0.075", "0.6"),
      "gpt-4o", usd("2.5", "1.25", "10"),
      "claude-sonnet", usd("3", "0.3", "15"));

  /** One call's shape before pricing. */
  record Shape(String model, String route, String user, long uncached, long cacheRead, long output) {
    Shape scaled(double f) {
      return new Shape(model, route, user, Math.round(uncached * f), Math.round(cacheRead * f), Math.round(output * f));
    }
  }

  /** Rewrites the calls of an hour (index from T0); returns them unchanged outside the incident. */
  interface Incident {
    List<Shape> apply(int hour, List<Shape> calls);
  }

  static final Incident NONE = (h, calls) -> calls;

  private TrafficReplay() {}

  static Instant hour(int index) {
    return T0.plus(Duration.ofHours(index));
  }

  static int dayHour(int day, int hourOfDay) {
    return day * 24 + hourOfDay;
  }

  /** The normal calls of an hour: the same for every replay, whatever the incident. */
  static List<Shape> normal(int hour) {
    Random r = new Random(1_000L + hour);
    int hod = hour % 24;
    double curve = 20 + 40 * (1 - Math.cos(2 * Math.PI * (hod - 3) / 24.0)) / 2;
    int n = (int) Math.round(curve * (0.95 + 0.1 * r.nextDouble()));
    int summaries = (int) Math.round(n * 0.4);
    List<Shape> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String user = "u" + (i % 10);
      out.add(i < summaries ? new Shape("claude-sonnet", SUMMARIZE, user, 500, 9_500, 200)
          : new Shape("gpt-4o-mini", CHAT, user, 8_000, 0, 1_000));
    }
    return out;
  }

  /** Writes {@code days} days of traffic from T0, one batch a day. */
  static void write(Store store, int days, Incident incident) {
    long n = 0;
    for (int d = 0; d < days; d++) {
      List<Span> spans = new ArrayList<>();
      for (int h = d * 24; h < (d + 1) * 24; h++) {
        List<Shape> calls = incident.apply(h, normal(h));
        long start = hour(h).getEpochSecond() * 1_000_000_000L;
        long gap = 3_600_000_000_000L / (calls.size() + 1);
        for (int i = 0; i < calls.size(); i++) {
          n++;
          spans.add(span(n, start + (i + 1) * gap, calls.get(i)));
        }
      }
      store.write(List.of(TelemetryBatch.ofSpans("replay", spans)));
    }
  }

  private static Span span(long n, long startNs, Shape s) {
    String trace = String.format("%032x", n);
    String id = String.format("%016x", n);
    long endNs = startNs + 800_000_000L;
    BigDecimal[] p = PRICES.get(s.model());
    BigDecimal input = p[0].multiply(BigDecimal.valueOf(s.uncached()));
    BigDecimal cacheRead = p[1].multiply(BigDecimal.valueOf(s.cacheRead()));
    BigDecimal output = p[2].multiply(BigDecimal.valueOf(s.output()));
    BigDecimal total = input.add(cacheRead).add(output);
    Cost cost = new Cost(CostStatus.PRICED, total, input, cacheRead, BigDecimal.ZERO, output, BigDecimal.ZERO,
        s.model(), null, null);
    LlmCall call = new LlmCall("test", "chat", s.model(), s.model(), false,
        Usage.reported(s.uncached(), s.cacheRead(), 0, 0, s.output(), 0),
        new Timing(startNs, endNs, null, null, null, null), cost,
        new Outcome(CallStatus.OK, 200, null, List.of("stop")),
        new CallContext(trace, id, "app", s.route(), null, s.user(), null, null, List.of()), Content.NONE);
    return new Span(trace, id, null, "chat " + s.model(), SpanKind.CLIENT, startNs, endNs, SpanStatus.OK, null, "app",
        "scope", Map.of(), Map.of(), List.of(), SpanCategory.LLM, call, List.of());
  }

  private static BigDecimal[] usd(String in, String cached, String out) {
    BigDecimal m = new BigDecimal("1000000");
    return new BigDecimal[] {new BigDecimal(in).divide(m), new BigDecimal(cached).divide(m),
        new BigDecimal(out).divide(m)};
  }
}
