package dev.sightline.pricing;

import dev.sightline.pricing.PriceExplanation.Step;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The entries of the user's price file, indexed for matching: entries that name a model are found
 * under the same name forms as catalog keys ({@link ModelNames}); regex entries are tried in file
 * order after them.
 */
final class UserPrices {

  static final UserPrices NONE = new UserPrices("(none)", List.of(), List.of());

  /** The provider ids a deployment without its own {@code provider} applies to: Azure's. */
  private static final Set<String> AZURE = Set.of("azure.ai.openai", "az.ai.openai", "azure", "azure.ai.inference",
      "az.ai.inference", "azure_ai");

  private final List<Entry> entries;
  /** Deployments by {@link Deployment#key}. */
  private final Map<String, Deployment> deployments = new HashMap<>();
  /** One index per name form: exact, bare, family. */
  private final List<Map<String, List<Entry>>> byName =
      List.of(new HashMap<>(), new HashMap<>(), new HashMap<>());
  private final List<Entry> regexes = new ArrayList<>();

  UserPrices(String file, List<Entry> entries, List<Deployment> deployments) {
    for (Deployment d : deployments) {
      this.deployments.putIfAbsent(d.key(), d);
    }
    this.entries = List.copyOf(entries);
    for (Entry e : this.entries) {
      if (e.regex() != null) {
        regexes.add(e);
        continue;
      }
      String exact = ModelNames.exact(e.name());
      String bare = ModelNames.bare(exact);
      String family = ModelNames.family(bare);
      byName.get(0).computeIfAbsent(exact, k -> new ArrayList<>()).add(e);
      byName.get(1).computeIfAbsent(bare, k -> new ArrayList<>()).add(e);
      byName.get(2).computeIfAbsent(family, k -> new ArrayList<>()).add(e);
    }
  }

  int size() {
    return entries.size();
  }

  /**
   * The deployment that {@code model} names for a call through {@code provider}, or null: one
   * listed for that provider, else one listed without a provider when the call is Azure's.
   *
   * @param provider the call's provider id, lower-cased; null when the call names none
   */
  Deployment deployment(String provider, String model) {
    if (deployments.isEmpty() || model == null) {
      return null;
    }
    String name = model.trim().toLowerCase(Locale.ROOT);
    Deployment d = provider == null ? null : deployments.get(provider + "\n" + name);
    if (d == null && provider != null && AZURE.contains(provider)) {
      d = deployments.get("\n" + name);
    }
    return d;
  }

  /**
   * Adds the entries that match, in the order they are tried: by name (most specific name form
   * first; at each form, an entry limited to the call's provider before one for any provider), then
   * regexes in file order.
   *
   * @param provider the call's provider id, lower-cased; null when the call names none
   */
  void addCandidates(String provider, String model, List<PriceCatalog.Candidate> out) {
    if (entries.isEmpty()) {
      return;
    }
    String exact = ModelNames.exact(model);
    String bare = ModelNames.bare(exact);
    String family = ModelNames.family(bare);
    String[] forms = {exact, bare, family};
    Set<Entry> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int i = 0; i < forms.length; i++) {
      List<Entry> named = byName.get(i).get(forms[i]);
      if (named == null) {
        continue;
      }
      for (boolean limited : new boolean[] {true, false}) {
        for (Entry e : named) {
          if ((e.provider() != null) == limited && e.appliesTo(provider) && seen.add(e)) {
            out.add(e.candidate());
          }
        }
      }
    }
    String id = model.trim();
    for (Entry e : regexes) {
      if (e.appliesTo(provider) && e.regex().matcher(id).matches()) {
        out.add(e.candidate());
      }
    }
  }

  /**
   * A deployment name that stands for a model: Azure OpenAI calls report the deployment the
   * customer named ({@code my-gpt4o-prod}) where other providers report the model.
   *
   * @param provider the provider it is limited to, lower-cased; null: the Azure providers
   */
  record Deployment(String name, String model, String provider, String file, int line) {

    String key() {
      return (provider == null ? "" : provider) + "\n" + name.trim().toLowerCase(Locale.ROOT);
    }

    String note() {
      return "deployment '" + name + "' serves model '" + model + "' (" + file + " line " + line + ")";
    }
  }

  /**
   * One model of the price file.
   *
   * @param name the model id it prices (null for a regex entry)
   * @param regex matches whole model ids, case-insensitively (null for a name entry)
   * @param provider the provider it is limited to, lower-cased; null: any provider
   * @param sets its dated price sets, ascending by {@code effectiveFrom}
   * @param candidate the entry ready for matching
   */
  record Entry(String name, Pattern regex, String provider, List<ModelPrice> sets, PriceCatalog.Candidate candidate) {

    static Entry of(String file, int line, String name, Pattern regex, String provider, List<ModelPrice> sets) {
      String label = "price-file entry '" + sets.get(0).key() + "'"
          + (provider == null ? "" : " for provider '" + provider + "'") + " (" + file + " line " + line + ")";
      Step step = regex == null ? Step.USER_NAME : Step.USER_REGEX;
      return new Entry(name, regex, provider, List.copyOf(sets),
          PriceCatalog.Candidate.of(label, sets, null, step));
    }

    boolean appliesTo(String callProvider) {
      return provider == null || provider.equals(callProvider);
    }
  }
}
