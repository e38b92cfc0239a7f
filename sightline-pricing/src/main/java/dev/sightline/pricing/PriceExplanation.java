package dev.sightline.pricing;

import java.time.Instant;
import java.util.List;

/**
 * Which price a (provider, model) gets at a given time, and why: the answer to "why does this call
 * cost what it costs" (served as {@code GET /api/v1/pricing/resolve}). Built by
 * {@link PriceCatalog#explain}, which follows the same matching code as pricing itself.
 *
 * @param provider the provider asked about, as given (may be null)
 * @param model the model id asked about, as given
 * @param at the time the price is wanted for
 * @param step the matching step that found the entry; {@link Step#NONE} or
 *     {@link Step#NOT_IN_FORCE} when the call would be unpriced
 * @param key the entry's key (null when nothing matched)
 * @param source bundled catalog or user price file (null when nothing matched)
 * @param effectiveFrom when the chosen prices took effect (null when nothing matched)
 * @param entryProvider the entry's LiteLLM provider, or the provider a price-file entry is limited
 *     to (null: any provider, or nothing matched)
 * @param reason one sentence saying which entry matched and why, or why nothing did
 * @param notes what else was considered: price-file entries with no price in force at {@code at},
 *     the name forms that were looked up; empty when there is nothing to add
 * @param price the prices in force, null when the call would be unpriced
 */
public record PriceExplanation(
    String provider,
    String model,
    Instant at,
    Step step,
    String key,
    ModelPrice.Source source,
    Instant effectiveFrom,
    String entryProvider,
    String reason,
    List<String> notes,
    ModelPrice price) {

  public PriceExplanation {
    notes = List.copyOf(notes);
  }

  /** Whether a price was found: a call like this would be priced. */
  public boolean matched() {
    return price != null;
  }

  /** The matching steps, in the order they are tried (docs/pricing.md, "Matching"). */
  public enum Step {
    /** A price-file entry names the model (under any of its name forms). */
    USER_NAME("your price file names this model"),
    /** A price-file regex matches the whole model id. */
    USER_REGEX("a regex in your price file matches the model id"),
    /** The catalog lists the model id itself for the call's provider. */
    EXACT("the catalog lists this model id for the call's provider"),
    /** The same id once provider prefixes ({@code openai/}, {@code models/}…) are set aside. */
    PREFIX_STRIPPED("the catalog lists the same model id once provider prefixes (openai/, models/, …)"
        + " are set aside, for the call's provider"),
    /** A Bedrock id reduced to the model maker's id (region, vendor and version dropped). */
    BEDROCK_ID("the catalog lists the same model once the Bedrock id is reduced to the model maker's id"
        + " (region, vendor and -vN:M version dropped), for the call's provider"),
    /** A dated snapshot the catalog lacks, priced as its undated base from the call's provider. */
    DATED_BASE("the catalog lacks this dated snapshot; its undated base model from the call's provider"
        + " prices it"),
    /** No entry from the call's provider; the same model from another provider. */
    OTHER_PROVIDER("the catalog has no entry from the call's provider; the same model from another"
        + " provider prices it"),
    /** No entry from the call's provider; the undated base model from another provider. */
    OTHER_PROVIDER_DATED_BASE("the catalog has no entry from the call's provider and lacks this dated"
        + " snapshot; the undated base model from another provider prices it"),
    /** Entries match the model, but none has a price in force at that time. */
    NOT_IN_FORCE("entries match the model, but none has a price in force at that time"),
    /** Nothing matched: the call is unpriced. */
    NONE("no entry matches the model");

    private final String description;

    Step(String description) {
      this.description = description;
    }

    /** What the step means, in a sentence fragment a user can read. */
    public String description() {
      return description;
    }
  }
}
