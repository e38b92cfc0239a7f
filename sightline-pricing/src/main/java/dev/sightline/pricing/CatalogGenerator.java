package dev.sightline.pricing;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Derives the bundled catalog from the LiteLLM price file: only token-priced entries (modes chat,
 * completion, responses, embedding) and only their token-price fields, one entry per line so that a
 * new snapshot shows up as a readable diff. Prices are written as plain decimals, exactly as read.
 *
 * <p>Regenerate the bundle from the repository root (docs/pricing.md), which runs this generator on
 * the snapshot in the shared fixtures and checks the result:
 * {@code ./mvnw -o -pl sightline-pricing test -Dtest=BundledCatalogTest -Dsightline.pricing.regenerate=true}
 */
final class CatalogGenerator {

  private CatalogGenerator() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CatalogGenerator <model_prices_and_context_window.json> <out.json>");
      System.exit(2);
    }
    Path source = Path.of(args[0]);
    Path target = Path.of(args[1]);
    String catalog;
    try (InputStream in = Files.newInputStream(source)) {
      catalog = generate(in);
    }
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, catalog, StandardCharsets.UTF_8);
    int entries;
    try (InputStream in = Files.newInputStream(target)) {
      entries = PriceCatalog.load(in).size();
    }
    System.out.println("wrote " + entries + " token-priced entries to " + target + " from " + source);
  }

  /** The bundle's text for a LiteLLM price file. */
  static String generate(InputStream litellmJson) {
    JsonNode root = LiteLlmFormat.readTree(litellmJson);
    ObjectWriter writer = LiteLlmFormat.mapper().writer()
        .with(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
    StringBuilder out = new StringBuilder("{\n");
    boolean first = true;
    for (Map.Entry<String, JsonNode> e : root.properties()) {
      if (LiteLlmFormat.read(e.getKey(), e.getValue()) == null) {
        continue;
      }
      out.append(first ? "" : ",\n")
          .append("  ").append(json(writer, e.getKey()))
          .append(": ").append(json(writer, compact(e.getValue())));
      first = false;
    }
    return out.append("\n}\n").toString();
  }

  private static ObjectNode compact(JsonNode entry) {
    ObjectNode kept = LiteLlmFormat.mapper().createObjectNode();
    kept.set("litellm_provider", entry.get("litellm_provider"));
    kept.set("mode", entry.get("mode"));
    entry.properties().forEach(f -> {
      if (LiteLlmFormat.isBundledField(f.getKey()) && f.getValue().isNumber()) {
        kept.set(f.getKey(), f.getValue());
      }
    });
    JsonNode ranges = entry.get(LiteLlmFormat.TIERED_PRICING);
    if (ranges != null && ranges.isArray()) {
      ArrayNode keptRanges = kept.putArray(LiteLlmFormat.TIERED_PRICING);
      for (JsonNode range : ranges) {
        ObjectNode keptRange = keptRanges.addObject();
        range.properties().forEach(f -> {
          if (f.getKey().equals(LiteLlmFormat.RANGE)
              || LiteLlmFormat.isBundledField(f.getKey()) && f.getValue().isNumber()) {
            keptRange.set(f.getKey(), f.getValue());
          }
        });
      }
    }
    return kept;
  }

  private static String json(ObjectWriter writer, Object node) {
    try {
      return writer.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
