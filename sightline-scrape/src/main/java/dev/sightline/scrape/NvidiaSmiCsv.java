package dev.sightline.scrape;

import dev.sightline.model.MetricPoint;
import dev.sightline.model.MetricType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code nvidia-smi --query-gpu=... --format=csv} lines and turns each GPU into gauges named as
 * NVIDIA's dcgm-exporter names them, so one GPU view reads both sources. Field names and their aliases
 * are from {@code nvidia-smi --help-query-gpu}; the DCGM names from dcgm-exporter's default-counters.csv.
 */
final class NvidiaSmiCsv {

  /** The fields asked for, in order; the CSV's columns follow it. */
  static final List<String> FIELDS = List.of("index", "uuid", "name", "pci.bus_id", "utilization.gpu",
      "utilization.memory", "memory.used", "memory.free", "memory.total", "power.draw", "temperature.gpu",
      "clocks.sm", "clocks.mem");

  /** Other names nvidia-smi gives the same fields (the long names appear in a CSV header). */
  private static final Map<String, String> ALIASES = Map.of(
      "gpu_name", "name", "gpu_uuid", "uuid", "gpu_bus_id", "pci.bus_id",
      "clocks.current.sm", "clocks.sm", "clocks.current.memory", "clocks.mem");

  /** A gauge made from one field. */
  private record Gauge(String field, String name, String description, String unit) {}

  private static final List<Gauge> GAUGES = List.of(
      new Gauge("utilization.gpu", "DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", "%"),
      new Gauge("utilization.memory", "DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", "%"),
      new Gauge("memory.used", "DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", "MiB"),
      new Gauge("memory.free", "DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", "MiB"),
      new Gauge("memory.total", "DCGM_FI_DEV_FB_TOTAL", "Framebuffer memory total (in MiB).", "MiB"),
      new Gauge("power.draw", "DCGM_FI_DEV_POWER_USAGE", "Power draw (in W).", "W"),
      new Gauge("temperature.gpu", "DCGM_FI_DEV_GPU_TEMP", "GPU temperature (in C).", "C"),
      new Gauge("clocks.sm", "DCGM_FI_DEV_SM_CLOCK", "SM clock frequency (in MHz).", "MHz"),
      new Gauge("clocks.mem", "DCGM_FI_DEV_MEM_CLOCK", "Memory clock frequency (in MHz).", "MHz"));

  private static final Pattern NUMBER =
      Pattern.compile("([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)\\s*(?:[A-Za-z%]+)?");

  /** The rows read, one map of field to raw text per GPU, and a message per line that did not fit. */
  record Rows(List<Map<String, String>> rows, List<String> errors) {}

  private NvidiaSmiCsv() {}

  /** The field a CSV header cell names: unit suffix ({@code " [MiB]"}) dropped, aliases resolved. */
  static String field(String headerCell) {
    String f = headerCell.strip();
    int bracket = f.indexOf(" [");
    if (bracket > 0) {
      f = f.substring(0, bracket);
    }
    f = f.toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(f, f);
  }

  /** Reads data lines whose columns are {@code fields}; blank lines are ignored. */
  static Rows read(List<String> fields, String text) {
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    String[] lines = text.split("\r?\n");
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] cells = lines[i].split(",", -1);
      if (cells.length != fields.size()) {
        errors.add("line " + (i + 1) + ": " + cells.length + " values where " + fields.size() + " were asked for");
        continue;
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int c = 0; c < cells.length; c++) {
        row.put(fields.get(c), cells[c].strip());
      }
      rows.add(row);
    }
    return new Rows(rows, errors);
  }

  /**
   * The number in a cell, or null when nvidia-smi has none ({@code [N/A]}, {@code [Not Supported]},
   * {@code N/A}, anything else that is not a number); a unit after it ({@code 631.95 W}) is dropped.
   */
  static Double number(String cell) {
    if (cell == null) {
      return null;
    }
    Matcher m = NUMBER.matcher(cell.strip());
    if (!m.matches()) {
      return null;
    }
    double v = Double.parseDouble(m.group(1));
    return Double.isFinite(v) ? v : null;
  }

  /** One GPU's gauges; a field without a number is left out, not sent as zero. */
  static List<MetricPoint> points(Map<String, String> row, String service, String host, long time) {
    Map<String, Object> labels = new LinkedHashMap<>();
    putText(labels, "gpu", row.get("index"));
    putText(labels, "UUID", row.get("uuid"));
    putText(labels, "modelName", row.get("name"));
    putText(labels, "pci_bus_id", row.get("pci.bus_id"));
    putText(labels, "Hostname", host);
    labels.put("source", "nvidia-smi");
    Map<String, Object> fixed = Map.copyOf(labels);
    List<MetricPoint> points = new ArrayList<>();
    for (Gauge g : GAUGES) {
      Double v = number(row.get(g.field()));
      if (v != null) {
        points.add(new MetricPoint(g.name(), g.description(), g.unit(), MetricType.GAUGE, time, 0, service, fixed,
            v, null, null, null, null, false));
      }
    }
    return points;
  }

  private static void putText(Map<String, Object> labels, String key, String value) {
    if (value != null && !value.isBlank() && !value.startsWith("[") && !value.equals("N/A")) {
      labels.put(key, value);
    }
  }
}
