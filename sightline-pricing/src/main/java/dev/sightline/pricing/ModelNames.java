package dev.sightline.pricing;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name forms a model id is matched under, from most to least specific. Catalog keys are indexed
 * under the same forms, so a query and a key meet when they agree on one of them.
 *
 * <ol>
 *   <li>{@link #exact}: lower-cased, e.g. {@code openai/gpt-4o}
 *   <li>{@link #bare}: without provider prefixes, e.g. {@code gpt-4o}
 *   <li>{@link #family}: a Bedrock id reduced to the model maker's id,
 *       {@code us.anthropic.claude-3-5-sonnet-20241022-v2:0} → {@code claude-3-5-sonnet-20241022}
 * </ol>
 * These three name the same model. {@link #undated} names a different one (the undated base of a
 * dated snapshot), so the catalog only tries it last.
 */
final class ModelNames {

  /** Bedrock's cross-region inference prefixes and model makers, as they appear in model ids. */
  private static final Pattern BEDROCK_ID = Pattern.compile(
      "(?:(?:us|us-gov|eu|apac|ap|global|au|jp|ca)\\.)?"
          + "(?:anthropic|meta|amazon|mistral|cohere|ai21|deepseek|qwen|moonshotai|moonshot|minimax"
          + "|zai|nvidia|openai|google|writer|twelvelabs)\\.(.+)");
  /** Bedrock's {@code -v2:0} version suffix, stripped only after a date so it cannot eat a name. */
  private static final Pattern BEDROCK_VERSION = Pattern.compile("(.*-(?:19|20)\\d{6})-v\\d+:\\d+");
  private static final Pattern DATE_SUFFIX = Pattern.compile(
      "(.+?)(?:-(?:19|20)\\d{2}-\\d{2}-\\d{2}|-(?:19|20)\\d{6}|@(?:19|20)\\d{6})");

  private ModelNames() {}

  static String exact(String model) {
    return model.trim().toLowerCase(Locale.ROOT);
  }

  static String bare(String exact) {
    int slash = exact.lastIndexOf('/');
    return slash < 0 ? exact : exact.substring(slash + 1);
  }

  static String family(String bare) {
    Matcher bedrock = BEDROCK_ID.matcher(bare);
    String name = bedrock.matches() ? bedrock.group(1) : bare;
    Matcher version = BEDROCK_VERSION.matcher(name);
    return version.matches() ? version.group(1) : name;
  }

  /** The family name without a trailing date, or the name itself when it has none. */
  static String undated(String family) {
    Matcher dated = DATE_SUFFIX.matcher(family);
    return dated.matches() ? dated.group(1) : family;
  }
}
