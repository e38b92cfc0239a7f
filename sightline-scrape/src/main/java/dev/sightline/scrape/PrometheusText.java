package dev.sightline.scrape;

import dev.sightline.model.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a Prometheus text exposition (0.0.4) or OpenMetrics 1.0 text page into metric points.
 *
 * <p>Mapping: {@code gauge}, {@code untyped}/{@code unknown}, {@code stateset} and {@code info} become
 * GAUGE points; {@code counter} becomes a monotonic SUM named after the family as its {@code # TYPE}
 * line names it (so {@code # TYPE x counter} with sample {@code x_total} gives {@code x}), with
 * {@code _created} (OpenMetrics, or a 0.0.4 {@code x_created} family) as the start time, else start 0
 * (unknown); {@code histogram} becomes one monotonic HISTOGRAM point per label set with the cumulative
 * {@code le} buckets turned into per-bucket counts ({@code +Inf} is the last count, not a bound), and
 * {@code gaugehistogram} the same, not monotonic. A {@code summary} becomes one SUMMARY point per
 * label set with count and sum, plus, for each quantile, a GAUGE point named {@code <family>.quantile}
 * with the same labels and a {@code quantile} attribute (a Double): quantile values change every
 * scrape, so they are kept as values, never in the summary's attributes. Label values, the HELP text
 * (as description) and the OpenMetrics UNIT are decoded; exemplars are ignored. A page is read as
 * OpenMetrics (timestamps in seconds) when it has a {@code # EOF} line; else timestamps are milliseconds.
 * At most {@value #MAX_SAMPLES} samples and {@value #MAX_LABEL_CHARS} characters of label text are
 * read per page.
 */
public final class PrometheusText {

  static final int MAX_SAMPLES = 100_000;
  static final int MAX_LABEL_CHARS = 1 << 20;
  static final int MAX_ERRORS = 1_000;
  private static final Pattern EOF_LINE = Pattern.compile("(?m)^# EOF\\r?$");

  /** The points read and, for each line that could not be read, a message that starts with its number. */
  public record Parsed(List<MetricPoint> points, List<String> errors) {
    public Parsed {
      points = List.copyOf(points);
      errors = List.copyOf(errors);
    }
  }

  private PrometheusText() {}

  /** Parses a page, reading it as OpenMetrics when it has a {@code # EOF} line. Never throws. */
  public static Parsed parse(String text, long scrapeTimeEpochNanos, String service) {
    boolean openMetrics = text != null && EOF_LINE.matcher(text).find();
    return parse(text, scrapeTimeEpochNanos, service, openMetrics);
  }

  /**
   * Parses a page in the given format (from the response's content type: OpenMetrics when it is
   * {@code application/openmetrics-text}). Samples without a timestamp get {@code scrapeTimeEpochNanos}.
   */
  public static Parsed parse(String text, long scrapeTimeEpochNanos, String service, boolean openMetrics) {
    List<String> errors = new ArrayList<>();
    List<MetricPoint> points = new ArrayList<>();
    if (text == null) {
      errors.add("line 0: no input");
      return new Parsed(points, errors);
    }
    try {
      new Reader(openMetrics, scrapeTimeEpochNanos, errors).read(text).forEach(
          f -> f.emit(service, points, errors));
    } catch (RuntimeException e) {
      // a defect here must not take the scrape loop down: report it like a bad page
      errors.add("line 0: the page could not be read (" + e.getClass().getSimpleName() + ")");
    }
    if (errors.size() > MAX_ERRORS) {
      int more = errors.size() - MAX_ERRORS;
      List<String> kept = new ArrayList<>(errors.subList(0, MAX_ERRORS));
      kept.add("… and " + more + " more errors");
      return new Parsed(points, kept);
    }
    return new Parsed(points, errors);
  }

  /** The line loop: comments declare families, samples join them. */
  private static final class Reader {
    private final boolean openMetrics;
    private final long scrapeTime;
    private final List<String> errors;
    private final Map<String, Family> families = new LinkedHashMap<>();
    private int samples;
    private long labelChars;

    Reader(boolean openMetrics, long scrapeTime, List<String> errors) {
      this.openMetrics = openMetrics;
      this.scrapeTime = scrapeTime;
      this.errors = errors;
    }

    List<Family> read(String text) {
      int lineNo = 0;
      int at = 0;
      boolean sawEof = false;
      while (at < text.length()) {
        int end = text.indexOf('\n', at);
        if (end < 0) {
          end = text.length();
        }
        String line = text.substring(at, end > at && text.charAt(end - 1) == '\r' ? end - 1 : end);
        at = end + 1;
        lineNo++;
        if (line.equals("# EOF")) {
          sawEof = true;
          break;
        }
        if (!line.isBlank() && !readLine(line, lineNo)) {
          break;
        }
      }
      if (openMetrics && !sawEof) {
        errors.add("line " + lineNo + ": OpenMetrics page has no # EOF line; it may be cut short");
      }
      foldCreated();
      return List.copyOf(families.values());
    }

    /** Reads one line; false when a limit stops the page. */
    private boolean readLine(String line, int lineNo) {
      try {
        if (line.startsWith("#")) {
          comment(line, lineNo);
          return true;
        }
        if (samples >= MAX_SAMPLES) {
          errors.add("line " + lineNo + ": more than " + MAX_SAMPLES + " samples; the rest of the page was not read");
          return false;
        }
        SampleLine s = SampleLine.read(line, openMetrics);
        labelChars += s.labelChars();
        if (labelChars > MAX_LABEL_CHARS) {
          errors.add("line " + lineNo + ": more than " + MAX_LABEL_CHARS
              + " characters of labels; the rest of the page was not read");
          return false;
        }
        samples++;
        sample(s, lineNo);
      } catch (SampleLine.BadLine e) {
        errors.add("line " + lineNo + ": " + e.getMessage());
      }
      return true;
    }

    private void comment(String line, int lineNo) {
      String[] parts = line.split("[ \t]+", 4);
      if (parts.length < 3 || !parts[0].equals("#")) {
        return; // a plain comment
      }
      String keyword = parts[1];
      if (!keyword.equals("HELP") && !keyword.equals("TYPE") && !keyword.equals("UNIT")) {
        return;
      }
      String name = parts[2];
      for (int i = 0; i < name.length(); i++) {
        if (!SampleLine.isNameChar(name.charAt(i), i == 0)) {
          throw new SampleLine.BadLine("invalid metric name in # " + keyword + ": " + SampleLine.clip(name));
        }
      }
      String arg = parts.length > 3 ? parts[3].strip() : "";
      Family f = families.computeIfAbsent(name, Family::new);
      switch (keyword) {
        case "HELP" -> f.help = unescapeHelp(arg);
        case "UNIT" -> f.unit = arg;
        default -> {
          Family.Kind kind = Family.Kind.of(arg);
          if (kind == null) {
            throw new SampleLine.BadLine("unknown metric type '" + SampleLine.clip(arg) + "' for " + SampleLine.clip(name));
          }
          if (f.typed || f.hasSamples) {
            throw new SampleLine.BadLine("# TYPE for " + SampleLine.clip(name)
                + (f.typed ? " given twice" : " after its samples") + "; ignored");
          }
          f.kind = kind;
          f.typed = true;
        }
      }
    }

    private void sample(SampleLine s, int lineNo) {
      Family family = null;
      String suffix = null;
      Family exact = families.get(s.name());
      if (exact != null && exact.suffixOf(s.name()) != null) {
        family = exact;
        suffix = "";
      } else {
        for (int i = s.name().lastIndexOf('_'); i > 0 && family == null; i = s.name().lastIndexOf('_', i - 1)) {
          Family f = families.get(s.name().substring(0, i));
          if (f != null && f.typed && (suffix = f.suffixOf(s.name())) != null) {
            family = f;
          }
        }
      }
      if (family == null) {
        family = families.computeIfAbsent(s.name(), Family::new);
        suffix = "";
        if (family.typed && family.suffixOf(s.name()) == null) {
          throw new SampleLine.BadLine("sample " + SampleLine.clip(s.name()) + " does not fit its "
              + family.kind.name().toLowerCase(java.util.Locale.ROOT) + " family");
        }
      }
      long time = s.timeEpochNanos() != null ? s.timeEpochNanos() : scrapeTime;
      String problem = family.add(s, suffix, lineNo, time);
      if (problem != null) {
        errors.add("line " + lineNo + ": " + problem);
      }
    }

    /** A 0.0.4 page carries a counter's creation time as a separate {@code <base>_created} gauge. */
    private void foldCreated() {
      families.values().removeIf(f -> {
        if (!f.name.endsWith("_created") || !(f.kind == Family.Kind.GAUGE || f.kind == Family.Kind.UNTYPED)) {
          return false;
        }
        String base = f.name.substring(0, f.name.length() - "_created".length());
        for (String candidate : List.of(base, base + "_total")) {
          Family target = families.get(candidate);
          if (target != null && target.typed && (target.kind == Family.Kind.COUNTER
              || target.kind == Family.Kind.HISTOGRAM || target.kind == Family.Kind.SUMMARY)) {
            f.giveCreatedTo(target);
            return true;
          }
        }
        return false;
      });
    }

    private String unescapeHelp(String s) {
      if (s.indexOf('\\') < 0) {
        return s;
      }
      StringBuilder b = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c == '\\' && i + 1 < s.length()) {
          char e = s.charAt(i + 1);
          if (e == '\\' || e == 'n' || (openMetrics && e == '"')) {
            b.append(e == 'n' ? '\n' : e);
            i++;
            continue;
          }
        }
        b.append(c);
      }
      return b.toString();
    }
  }
}
