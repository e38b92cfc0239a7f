package dev.sightline.alerts.notify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/** Renders a group of notices as a webhook body; all user text goes through Jackson, never string concatenation. */
final class Payloads {

  private static final ObjectMapper JSON = new ObjectMapper();
  // Slack: at most 50 blocks per message and 3000 characters per section text (api.slack.com, "Block Kit" limits).
  private static final int SLACK_MAX_SECTIONS = 49;
  private static final int SLACK_MAX_TEXT = 3000;

  private Payloads() {
  }

  static byte[] render(WebhookTarget.Format format, List<Notice> notices, boolean test, Instant sentAt) {
    ObjectNode body = switch (format) {
      case GENERIC_JSON -> generic(notices, test, sentAt);
      case SLACK -> slack(notices, test);
    };
    try {
      return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot happen for a tree of strings", e);
    }
  }

  /** "firing" when any alert in the group fires, as a receiver that routes on one status wants. */
  static String groupStatus(List<Notice> notices) {
    return notices.stream().anyMatch(n -> n.status() == Notice.Status.FIRING) ? "firing" : "resolved";
  }

  private static ObjectNode generic(List<Notice> notices, boolean test, Instant sentAt) {
    ObjectNode body = JSON.createObjectNode();
    body.put("version", "1");
    body.put("status", groupStatus(notices));
    if (test) {
      body.put("test", true);
    }
    ArrayNode alerts = body.putArray("alerts");
    for (Notice n : notices) {
      ObjectNode a = alerts.addObject();
      a.put("alertKey", n.alertKey());
      a.put("ruleName", n.ruleName());
      a.put("group", n.group());
      a.put("severity", n.severity());
      a.put("status", n.status().word());
      a.put("at", n.at().toString());
      a.put("summary", n.summary());
      ObjectNode details = a.putObject("details");
      n.details().forEach(details::put);
    }
    body.put("sentAt", sentAt.toString());
    return body;
  }

  private static ObjectNode slack(List<Notice> notices, boolean test) {
    long firing = notices.stream().filter(n -> n.status() == Notice.Status.FIRING).count();
    long resolved = notices.size() - firing;
    StringBuilder headline = new StringBuilder(test ? "[TEST] " : "");
    if (firing > 0) {
      headline.append("[FIRING:").append(firing).append("]");
    }
    if (resolved > 0) {
      headline.append(firing > 0 ? " " : "").append("[RESOLVED:").append(resolved).append("]");
    }
    headline.append(' ').append(escape(notices.get(0).ruleName()));
    if (notices.size() > 1) {
      headline.append(" and ").append(notices.size() - 1).append(" more");
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("text", headline.toString());
    ArrayNode blocks = body.putArray("blocks");
    int shown = Math.min(notices.size(), SLACK_MAX_SECTIONS);
    for (int i = 0; i < shown; i++) {
      section(blocks, line(notices.get(i), test));
    }
    if (notices.size() > shown) {
      section(blocks, "…and " + (notices.size() - shown) + " more alerts");
    }
    return body;
  }

  private static String line(Notice n, boolean test) {
    StringBuilder s = new StringBuilder();
    s.append(test ? "*TEST* " : "").append(n.status() == Notice.Status.FIRING ? ":red_circle: *FIRING*" : ":large_green_circle: *RESOLVED*");
    s.append(" *").append(escape(n.ruleName())).append('*');
    if (!n.group().isEmpty()) {
      s.append(" (").append(escape(n.group())).append(')');
    }
    if (!n.severity().isEmpty()) {
      s.append(" · ").append(escape(n.severity()));
    }
    if (!n.summary().isEmpty()) {
      s.append('\n').append(escape(n.summary()));
    }
    n.details().forEach((k, v) -> s.append("\n• ").append(escape(k)).append(": ").append(escape(v)));
    return s.length() <= SLACK_MAX_TEXT ? s.toString() : s.substring(0, SLACK_MAX_TEXT - 1) + "…";
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    ObjectNode block = blocks.addObject();
    block.put("type", "section");
    ObjectNode text = block.putObject("text");
    text.put("type", "mrkdwn");
    text.put("text", mrkdwn);
  }

  /**
   * Slack reads {@code <...>} as links and mentions ({@code <!channel>}); its docs ("Formatting text
   * for app surfaces") ask for &, < and > to be escaped so user text cannot ping a whole channel.
   */
  static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
