package dev.sightline.pricing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the user's price file (YAML or JSON; the format is in docs/pricing.md) into price-file
 * entries, or fails with every error it finds, each with its line and column.
 *
 * <p>The file is first read into a small tree that remembers where each value was, then checked
 * field by field, so that an error points at the exact value to change.
 */
final class PriceFile {

  static final long MAX_BYTES = 10L << 20;
  /** Enough to fix a file in one go without drowning the log. */
  private static final int MAX_ERRORS = 50;

  private static final Set<String> MODES = Set.of("chat", "completion", "responses", "embedding");
  private static final List<String> ROOT_FIELDS = List.of("version", "models", "deployments");
  private static final List<String> DEPLOYMENT_FIELDS = List.of("name", "model", "provider");
  private static final List<String> MODEL_FIELDS = List.of("name", "regex", "provider", "mode", "prices");
  /** The price fields, in USD per million tokens, and the LiteLLM field each one stands for. */
  private static final Map<String, String> BUCKETS = bucketFields();
  private static final List<String> SET_FIELDS = fields("effectiveFrom", "tiers", "batch", "priority", "flex");
  private static final List<String> SERVICE_TIER_FIELDS = fields("tiers");
  private static final List<String> TIER_FIELDS = fields("aboveInputTokens");

  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = new YAMLFactory();

  private final String file;
  private final List<PriceFileError> errors = new ArrayList<>();
  private final List<UserPrices.Deployment> deployments = new ArrayList<>();

  private PriceFile(String file) {
    this.file = file;
  }

  /**
   * The file's entries, in file order.
   *
   * @param fileName decides the format: {@code .json} is JSON, {@code .yaml} / {@code .yml} YAML
   * @throws PriceFileException with every error found
   */
  static UserPrices parse(String fileName, byte[] content) {
    PriceFile reader = new PriceFile(fileName);
    List<UserPrices.Entry> entries = reader.read(content);
    if (!reader.errors.isEmpty()) {
      throw new PriceFileException(reader.errors);
    }
    return new UserPrices(fileName, entries, reader.deployments);
  }

  /**
   * The file's bytes.
   *
   * @throws PriceFileException when it cannot be read or is too large to be a price file
   */
  static byte[] readBytes(Path file) {
    try {
      if (Files.size(file) > MAX_BYTES) {
        throw new PriceFileException(List.of(PriceFileError.ofFile(file.toString(), "the file is larger than "
            + (MAX_BYTES >> 20) + " MiB; a price file is a short list of models")));
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      String kind = e.getClass().getSimpleName();
      throw new PriceFileException(List.of(PriceFileError.ofFile(file.toString(),
          "cannot read the file (" + (e.getMessage() == null ? kind : kind + ": " + e.getMessage()) + ")")));
    }
  }

  private List<UserPrices.Entry> read(byte[] content) {
    String lower = file.toLowerCase(Locale.ROOT);
    JsonFactory factory;
    if (lower.endsWith(".json")) {
      factory = JSON;
    } else if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
      factory = YAML;
    } else {
      errors.add(PriceFileError.ofFile(file, "unknown file type: name the price file *.yaml, *.yml or *.json"));
      return List.of();
    }
    Node root;
    try (JsonParser parser = factory.createParser(content)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        errors.add(new PriceFileError(file, 1, 1, "", "the file is empty; it needs a 'models' list"));
        return List.of();
      }
      root = tree(parser);
      if (parser.nextToken() != null) {
        Loc loc = Loc.of(parser.currentTokenLocation());
        error(loc, "", "unexpected content after the end of the document; a price file is one document");
        return List.of();
      }
    } catch (JsonProcessingException e) {
      Loc loc = e.getLocation() == null ? new Loc(0, 0) : Loc.of(e.getLocation());
      error(loc, "", "syntax error: " + syntaxMessage(e.getOriginalMessage()));
      return List.of();
    } catch (IOException e) {
      errors.add(PriceFileError.ofFile(file, "cannot read the file (" + e.getMessage() + ")"));
      return List.of();
    }
    return models(root);
  }

  // ---- the located tree ----------------------------------------------------------------------

  /** Where a value starts: 1-based line and column. */
  private record Loc(int line, int column) {
    static Loc of(JsonLocation l) {
      return new Loc(Math.max(l.getLineNr(), 0), Math.max(l.getColumnNr(), 0));
    }
  }

  private sealed interface Node permits Obj, Arr, Scalar {
    Loc loc();
  }

  private record Field(String name, Loc loc, Node value) {}

  private record Obj(Loc loc, Map<String, Field> fields) implements Node {}

  private record Arr(Loc loc, List<Node> items) implements Node {}

  /** A string, number, boolean or null; {@code number} is set for number tokens. */
  private record Scalar(Loc loc, JsonToken token, String text, BigDecimal number) implements Node {
    boolean isString() {
      return token == JsonToken.VALUE_STRING;
    }
  }

  /** Reads the value at the parser's current token. */
  private Node tree(JsonParser p) throws IOException {
    Loc loc = Loc.of(p.currentTokenLocation());
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT -> {
        Map<String, Field> fields = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          Loc at = Loc.of(p.currentTokenLocation());
          p.nextToken();
          Node value = tree(p);
          Field earlier = fields.get(name);
          if (earlier != null) {
            error(at, "", "duplicate field '" + name + "' (also on line " + earlier.loc().line() + ")");
          } else {
            fields.put(name, new Field(name, at, value));
          }
        }
        return new Obj(loc, fields);
      }
      case START_ARRAY -> {
        List<Node> items = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          items.add(tree(p));
        }
        return new Arr(loc, items);
      }
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
        return new Scalar(loc, t, p.getText(), p.getDecimalValue());
      }
      default -> {
        return new Scalar(loc, t, t == JsonToken.VALUE_NULL ? null : p.getText(), null);
      }
    }
  }

  // ---- the document ----------------------------------------------------------------------------

  private List<UserPrices.Entry> models(Node root) {
    if (!(root instanceof Obj obj)) {
      error(root.loc(), "", "the file must be a mapping with a 'models' list, e.g. 'models:' then '- name: …'");
      return List.of();
    }
    knownFields(obj, "", ROOT_FIELDS);
    Field version = obj.fields().get("version");
    if (version != null && !(version.value() instanceof Scalar v && v.number() != null
        && v.number().compareTo(BigDecimal.ONE) == 0)) {
      error(version.value().loc(), "version", "unsupported version " + text(version.value())
          + "; this version of Sightline reads price files of version 1");
    }
    Field deploymentList = obj.fields().get("deployments");
    if (deploymentList != null) {
      deployments(deploymentList.value());
    }
    Field models = obj.fields().get("models");
    if (models == null) {
      if (deploymentList != null) {
        return List.of(); // a file may only map deployments to models the catalog prices
      }
      error(obj.loc(), "", "missing 'models': the list of models this file prices");
      return List.of();
    }
    if (!(models.value() instanceof Arr list)) {
      error(models.value().loc(), "models", "must be a list of models ('- name: …')");
      return List.of();
    }
    List<UserPrices.Entry> entries = new ArrayList<>();
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = "models[" + i + "]";
      Node item = list.items().get(i);
      UserPrices.Entry entry = model(item, path);
      if (entry == null) {
        continue;
      }
      String identity = (entry.regex() != null ? "regex " + entry.regex().pattern()
          : "name " + ModelNames.exact(entry.name())) + " provider " + entry.provider();
      Integer earlier = firstLine.putIfAbsent(identity, item.loc().line());
      if (earlier != null) {
        error(item.loc(), path, "repeats the model on line " + earlier + " (same "
            + (entry.regex() != null ? "regex" : "name") + " and provider): give all of a model's dated"
            + " prices in one entry's 'prices' list");
        continue;
      }
      entries.add(entry);
    }
    return entries;
  }

  /** {@code deployments}: deployment names (Azure OpenAI's, by default) and the model each one serves. */
  private void deployments(Node node) {
    if (!(node instanceof Arr list)) {
      error(node.loc(), "deployments", "must be a list of deployments ('- name: my-gpt4o' with 'model: gpt-4o')");
      return;
    }
    Map<String, Integer> firstLine = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = "deployments[" + i + "]";
      Node item = list.items().get(i);
      if (!(item instanceof Obj obj)) {
        error(item.loc(), path, "must be a mapping with 'name' (the deployment) and 'model' (the model it serves)");
        continue;
      }
      int before = errors.size();
      knownFields(obj, path, DEPLOYMENT_FIELDS);
      String name = string(obj, "name", path);
      String model = string(obj, "model", path);
      String provider = string(obj, "provider", path);
      if (name == null && !obj.fields().containsKey("name")) {
        error(obj.loc(), path, "missing 'name': the deployment name your calls report as their model");
      }
      if (model == null && !obj.fields().containsKey("model")) {
        error(obj.loc(), path, "missing 'model': the model the deployment serves, e.g. 'gpt-4o-2024-08-06'");
      }
      if (errors.size() > before) {
        continue;
      }
      UserPrices.Deployment d = new UserPrices.Deployment(name, model,
          provider == null ? null : provider.toLowerCase(Locale.ROOT), file, item.loc().line());
      Integer earlier = firstLine.putIfAbsent(d.key(), item.loc().line());
      if (earlier != null) {
        error(item.loc(), path, "repeats the deployment on line " + earlier + " (same name and provider)");
        continue;
      }
      deployments.add(d);
    }
  }

  private UserPrices.Entry model(Node node, String path) {
    if (!(node instanceof Obj obj)) {
      error(node.loc(), path, "must be a mapping with 'name' (or 'regex') and 'prices'");
      return null;
    }
    int before = errors.size();
    knownFields(obj, path, MODEL_FIELDS);
    String name = string(obj, "name", path);
    String regexText = string(obj, "regex", path);
    Pattern regex = null;
    if (name != null && regexText != null) {
      error(obj.fields().get("regex").loc(), path, "give either 'name' or 'regex', not both");
    } else if (name == null && regexText == null && !obj.fields().containsKey("name")
        && !obj.fields().containsKey("regex")) {
      error(obj.loc(), path, "missing 'name' (the model id, e.g. 'acme-llama-8b') or 'regex'");
    } else if (regexText != null) {
      Node at = obj.fields().get("regex").value();
      try {
        regex = Pattern.compile(regexText, Pattern.CASE_INSENSITIVE);
      } catch (PatternSyntaxException e) {
        error(at.loc(), path + ".regex", "bad regex '" + regexText + "': " + e.getDescription()
            + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
      }
    }
    String provider = string(obj, "provider", path);
    provider = provider == null ? null : provider.toLowerCase(Locale.ROOT);
    String mode = string(obj, "mode", path);
    if (mode != null && !MODES.contains(mode)) {
      error(obj.fields().get("mode").value().loc(), path + ".mode", "unknown mode '" + mode
          + "'; one of chat (the default), completion, responses, embedding");
    }
    mode = mode == null ? "chat" : mode;

    Field prices = obj.fields().get("prices");
    List<ModelPrice> sets = new ArrayList<>();
    if (prices == null) {
      error(obj.loc(), path, "missing 'prices': a list of one or more price sets ('- input: …')");
    } else if (!(prices.value() instanceof Arr list) || list.items().isEmpty()) {
      error(prices.value().loc(), path + ".prices", "must be a list of one or more price sets ('- input: …')");
    } else {
      String key = "user:" + (regexText != null ? "/" + regexText + "/" : name);
      Map<Instant, Integer> dates = new HashMap<>();
      for (int i = 0; i < list.items().size(); i++) {
        String setPath = path + ".prices[" + i + "]";
        Node setNode = list.items().get(i);
        ModelPrice set = priceSet(setNode, setPath, key, provider, mode);
        if (set == null) {
          continue;
        }
        Integer same = dates.putIfAbsent(set.effectiveFrom(), i);
        if (same != null) {
          error(setNode.loc(), setPath, "overlapping dates: prices[" + same + "] also takes effect at "
              + set.effectiveFrom() + "; each price set of a model needs its own effectiveFrom");
          continue;
        }
        sets.add(set);
      }
    }
    if (errors.size() > before || sets.isEmpty()) {
      return null;
    }
    sets.sort((a, b) -> a.effectiveFrom().compareTo(b.effectiveFrom()));
    return UserPrices.Entry.of(file, obj.loc().line(), name, regex, provider, sets);
  }

  private ModelPrice priceSet(Node node, String path, String key, String provider, String mode) {
    if (!(node instanceof Obj obj)) {
      error(node.loc(), path, "must be a mapping of prices ('input: 0.15', 'output: 0.60', …)");
      return null;
    }
    int before = errors.size();
    knownFields(obj, path, SET_FIELDS);
    Instant from = effectiveFrom(obj, path);
    TreeMap<Long, Map<String, BigDecimal>> byThreshold = new TreeMap<>();
    byThreshold.put(0L, buckets(obj, path));
    if (!obj.fields().containsKey("input")) {
      error(obj.loc(), path, "missing 'input': the price of an input token, USD per million tokens");
    }
    if (!obj.fields().containsKey("output") && !"embedding".equals(mode)) {
      error(obj.loc(), path, "missing 'output': the price of an output token, USD per million tokens"
          + " (only 'mode: embedding' models may leave it out)");
    }
    Field tiers = obj.fields().get("tiers");
    if (tiers != null) {
      tiers(tiers.value(), path + ".tiers", byThreshold);
    }
    Map<ServiceTier, ModelPrice.ServiceTierPrices> serviceTiers = new EnumMap<>(ServiceTier.class);
    for (ServiceTier tier : ServiceTier.values()) {
      Field f = tier == ServiceTier.STANDARD ? null : obj.fields().get(tier.wire());
      if (f != null) {
        TreeMap<Long, Map<String, BigDecimal>> ownTiers = new TreeMap<>();
        TreeMap<Long, Map<String, BigDecimal>> overlaid = serviceTier(f.value(), path + "." + tier.wire(), byThreshold,
            ownTiers);
        ModelPrice.ServiceTierPrices p = overlaid == null ? null : LiteLlmFormat.prices(overlaid, null, mode);
        if (p != null) {
          serviceTiers.put(tier, new ModelPrice.ServiceTierPrices(p.base(), p.tiers(), ownTiers.keySet()));
        }
      }
    }
    if (errors.size() > before) {
      return null;
    }
    ModelPrice.ServiceTierPrices standard = LiteLlmFormat.prices(byThreshold, null, mode);
    return new ModelPrice(key, provider, mode, standard.base(), standard.tiers(), from, ModelPrice.Source.USER_FILE,
        serviceTiers);
  }

  /**
   * A service tier's prices over the price set's: each price the tier gives replaces the set's
   * price for that bucket (at the same long-context threshold); the rest stays as the set has it.
   */
  private TreeMap<Long, Map<String, BigDecimal>> serviceTier(Node node, String path,
      TreeMap<Long, Map<String, BigDecimal>> standard, TreeMap<Long, Map<String, BigDecimal>> ownTiers) {
    if (!(node instanceof Obj obj)) {
      error(node.loc(), path, "must be a mapping of the tier's prices ('input: 1.25', 'output: 5.00', …)");
      return null;
    }
    knownFields(obj, path, SERVICE_TIER_FIELDS);
    Map<String, BigDecimal> own = buckets(obj, path);
    if (obj.fields().keySet().stream().noneMatch(BUCKETS::containsKey) && !obj.fields().containsKey("tiers")) {
      error(obj.loc(), path, "a service tier needs at least one price (input, output, …)");
    }
    Field tiers = obj.fields().get("tiers");
    if (tiers != null) {
      tiers(tiers.value(), path + ".tiers", ownTiers);
    }
    TreeMap<Long, Map<String, BigDecimal>> overlaid = LiteLlmFormat.copy(standard);
    overlaid.get(0L).putAll(own);
    ownTiers.forEach((threshold, prices) -> overlaid.computeIfAbsent(threshold, t -> new HashMap<>()).putAll(prices));
    return overlaid;
  }

  private void tiers(Node node, String path, TreeMap<Long, Map<String, BigDecimal>> byThreshold) {
    if (!(node instanceof Arr list)) {
      error(node.loc(), path, "must be a list of tiers ('- aboveInputTokens: 200000' with their prices)");
      return;
    }
    long previous = 0;
    for (int i = 0; i < list.items().size(); i++) {
      String tierPath = path + "[" + i + "]";
      Node item = list.items().get(i);
      if (!(item instanceof Obj obj)) {
        error(item.loc(), tierPath, "must be a mapping: 'aboveInputTokens' and the prices above it");
        continue;
      }
      knownFields(obj, tierPath, TIER_FIELDS);
      Field above = obj.fields().get("aboveInputTokens");
      Map<String, BigDecimal> prices = buckets(obj, tierPath);
      if (prices.isEmpty() && obj.fields().keySet().stream().noneMatch(BUCKETS::containsKey)) {
        error(obj.loc(), tierPath, "a tier needs at least one price (input, output, …)");
      }
      if (above == null) {
        error(obj.loc(), tierPath, "missing 'aboveInputTokens': the tier's prices apply to requests with"
            + " more input tokens than this");
        continue;
      }
      Long threshold = count(above.value());
      if (threshold == null || threshold <= 0) {
        error(above.value().loc(), tierPath + ".aboveInputTokens", "must be a whole number of tokens"
            + " above 0, got " + text(above.value()));
        continue;
      }
      if (threshold <= previous) {
        error(above.value().loc(), tierPath + ".aboveInputTokens", "tiers must be in ascending order"
            + " of aboveInputTokens with no repeats: " + threshold + " comes after " + previous);
        continue;
      }
      previous = threshold;
      byThreshold.put(threshold, prices);
    }
  }

  /** The object's bucket prices under their LiteLLM names, in USD per token. */
  private Map<String, BigDecimal> buckets(Obj obj, String path) {
    Map<String, BigDecimal> prices = new HashMap<>();
    for (Map.Entry<String, String> bucket : BUCKETS.entrySet()) {
      Field f = obj.fields().get(bucket.getKey());
      if (f == null) {
        continue;
      }
      BigDecimal perMillion = price(f.value(), path + "." + bucket.getKey());
      if (perMillion != null) {
        prices.put(bucket.getValue(), perMillion.movePointLeft(6));
      }
    }
    return prices;
  }

  private BigDecimal price(Node node, String path) {
    BigDecimal value = null;
    if (node instanceof Scalar s) {
      if (s.number() != null) {
        value = s.number();
      } else if (s.isString()) {
        try {
          value = new BigDecimal(s.text().trim());
        } catch (NumberFormatException e) {
          value = null;
        }
      }
    }
    if (value == null) {
      error(node.loc(), path, "must be a number (USD per million tokens), got " + text(node));
      return null;
    }
    if (value.signum() < 0) {
      error(node.loc(), path, "negative price " + value.toPlainString() + "; prices are USD per million"
          + " tokens, 0 or more");
      return null;
    }
    return value;
  }

  private Instant effectiveFrom(Obj obj, String path) {
    Field f = obj.fields().get("effectiveFrom");
    if (f == null) {
      return Instant.EPOCH;
    }
    String p = path + ".effectiveFrom";
    if (!(f.value() instanceof Scalar s) || !s.isString()) {
      error(f.value().loc(), p, "bad date " + text(f.value()) + ": use a date such as 2026-03-01 (midnight"
          + " UTC) or an ISO-8601 time with its zone such as 2026-03-01T09:00:00Z");
      return null;
    }
    String text = s.text().trim();
    Instant at;
    try {
      at = text.length() == 10 ? LocalDate.parse(text).atStartOfDay().toInstant(ZoneOffset.UTC)
          : OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      String hint = "use a date such as 2026-03-01 (midnight UTC) or an ISO-8601 time with its zone such as"
          + " 2026-03-01T09:00:00Z";
      if (isLocalDateTime(text)) {
        hint = "the time has no zone: add 'Z' for UTC or an offset such as +02:00";
      }
      error(s.loc(), p, "bad date '" + text + "': " + hint);
      return null;
    }
    if (at.isBefore(Instant.EPOCH) || at.getEpochSecond() > Long.MAX_VALUE / 1_000_000_000L) {
      error(s.loc(), p, "date '" + text + "' is out of range: from 1970-01-01 to 2262-04-11");
      return null;
    }
    return at;
  }

  private static boolean isLocalDateTime(String text) {
    try {
      LocalDateTime.parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** A whole, non-negative number of tokens, or null. */
  private static Long count(Node node) {
    if (node instanceof Scalar s && s.number() != null) {
      try {
        return s.number().longValueExact();
      } catch (ArithmeticException e) {
        return null;
      }
    }
    return null;
  }

  /** A non-blank string field, trimmed; null when absent (or wrong, which records an error). */
  private String string(Obj obj, String field, String path) {
    Field f = obj.fields().get(field);
    if (f == null) {
      return null;
    }
    if (!(f.value() instanceof Scalar s) || !s.isString() || s.text().isBlank()) {
      error(f.value().loc(), path + "." + field, "must be a non-empty text, got " + text(f.value()));
      return null;
    }
    return s.text().trim();
  }

  private void knownFields(Obj obj, String path, List<String> known) {
    for (Field f : obj.fields().values()) {
      if (!known.contains(f.name())) {
        error(f.loc(), path, "unknown field '" + f.name() + "'" + suggestion(f.name(), known)
            + "; the fields here are " + String.join(", ", known));
      }
    }
  }

  /** A hint for a misspelt field, or for a LiteLLM field name pasted in. */
  private static String suggestion(String name, List<String> known) {
    if (name.contains("cost_per_token") || name.contains("token_cost")) {
      return " (this file takes prices in USD per million tokens under short names, e.g. 'input',"
          + " not LiteLLM's per-token fields)";
    }
    String plain = name.replace("_", "").replace("-", "").toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = plain.equals(k.toLowerCase(Locale.ROOT)) ? 0 : distance(plain, k.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static String text(Node node) {
    if (node instanceof Scalar s) {
      if (s.token() == JsonToken.VALUE_NULL) {
        return "nothing (null)";
      }
      return s.isString() ? "'" + s.text() + "'" : s.text();
    }
    return node instanceof Arr ? "a list" : "a mapping";
  }

  /** Jackson's and SnakeYAML's message without the source excerpt and caret lines. */
  private static String syntaxMessage(String original) {
    if (original == null) {
      return "unreadable";
    }
    List<String> kept = new ArrayList<>();
    for (String line : original.split("\n")) {
      if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        kept.add(line.trim());
      }
    }
    return kept.isEmpty() ? original.trim() : String.join("; ", kept);
  }

  private void error(Loc loc, String path, String message) {
    if (errors.size() < MAX_ERRORS) {
      errors.add(new PriceFileError(file, loc.line(), loc.column(), path, message));
    } else if (errors.size() == MAX_ERRORS) {
      errors.add(PriceFileError.ofFile(file, "more errors not shown; fix these first"));
    }
  }

  private static Map<String, String> bucketFields() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input", LiteLlmFormat.INPUT);
    m.put("cacheRead", LiteLlmFormat.CACHE_READ);
    m.put("cacheWrite5m", LiteLlmFormat.CACHE_WRITE_5M);
    m.put("cacheWrite1h", LiteLlmFormat.CACHE_WRITE_1H);
    m.put("output", LiteLlmFormat.OUTPUT);
    m.put("reasoning", LiteLlmFormat.REASONING);
    return m;
  }

  private static List<String> fields(String first, String... more) {
    List<String> all = new ArrayList<>();
    all.add(first);
    all.addAll(BUCKETS.keySet());
    all.addAll(List.of(more));
    return List.copyOf(all);
  }
}
