package dev.sightline.server;

import dev.sightline.access.AccessControl;
import dev.sightline.access.CreatedKey;
import dev.sightline.access.KeyInfo;
import dev.sightline.access.KeyKind;
import dev.sightline.access.VirtualTarget;
import dev.sightline.server.config.ConfigException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sightline keys}: ingest, read and gateway virtual keys of the projects. A key's text is
 * printed once, when created; the access file keeps only its hash (docs/access.md).
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "Ingest, read and virtual keys (docs/access.md). Safe while the server runs.",
    subcommands = {KeysCommand.List.class, KeysCommand.Create.class, KeysCommand.Revoke.class,
        CommandLine.HelpCommand.class})
final class KeysCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never their secret).")
  static final class List implements Callable<Integer> {
    @Option(names = "--project", paramLabel = "P", description = "Only the keys of project P (default: every project).")
    String project;

    @CommandLine.Mixin ProjectsCommand.DataDir dir;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      AccessControl access = dir.open();
      java.util.List<KeyInfo> keys = ProjectsCommand.refusalsAsConfigErrors(() -> access.keys(project));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-16s %-20s %-8s %-14s %-20s %s%n", "ID", "PROJECT", "KIND", "PREFIX", "CREATED", "LABEL / TARGET");
      for (KeyInfo k : keys) {
        String about = (k.label() == null ? "" : k.label())
            + (k.target() == null ? "" : (k.label() == null ? "" : " ") + "-> " + k.target().provider() + " ($"
                + k.target().keyEnv() + ")");
        out.printf("%-16s %-20s %-8s %-14s %-20s %s%n", k.id(), k.project(), k.kind().wireName(), k.prefix() + "…",
            k.created(), about);
      }
      if (keys.isEmpty()) {
        out.println("(no keys: create one with sightline keys create --project default --kind ingest)");
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a key and print it once: it cannot be shown again.")
  static final class Create implements Callable<Integer> {
    @Option(names = "--project", required = true, paramLabel = "P") String project;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
        description = "ingest (send telemetry), read (API and UI), or virtual (a gateway stand-in for a provider key).")
    String kind;

    @Option(names = "--label", paramLabel = "L", description = "Free text to recognise the key by.")
    String label;

    @Option(names = "--provider", paramLabel = "NAME", description = "For virtual keys: openai, anthropic or ollama.")
    String provider;

    @Option(names = "--provider-key-env", paramLabel = "VAR",
        description = "For virtual keys: the server's environment variable that holds the provider key"
            + " (e.g. OPENAI_API_KEY). The provider key itself is never stored.")
    String providerKeyEnv;

    @CommandLine.Mixin ProjectsCommand.DataDir dir;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      CreatedKey key = ProjectsCommand.refusalsAsConfigErrors(() -> {
        KeyKind k = KeyKind.parse(kind);
        VirtualTarget target = null;
        if (k == KeyKind.VIRTUAL) {
          target = new VirtualTarget(provider, providerKeyEnv);
        } else if (provider != null || providerKeyEnv != null) {
          throw new IllegalArgumentException("--provider and --provider-key-env are for --kind virtual only");
        }
        return dir.open().createKey(project, k, label, target);
      });
      KeyInfo i = key.info();
      PrintWriter out = spec.commandLine().getOut();
      out.println("created " + i.kind().wireName() + " key " + i.id() + " of project " + i.project()
          + (i.target() == null ? "" : " for " + i.target().provider() + " (provider key from $" + i.target().keyEnv() + ")"));
      out.println();
      out.println("  " + key.secret());
      out.println();
      out.println("This key is shown only now: it is not shown again (Sightline keeps only its hash). Store it safely.");
      out.println(switch (i.kind()) {
        case INGEST -> "Send it as the header Authorization: Bearer <key> or x-sightline-key: <key>"
            + " (OTEL_EXPORTER_OTLP_HEADERS=x-sightline-key=<key>).";
        case READ -> "Use it for the API (Authorization: Bearer <key>) or to log in to the UI.";
        case VIRTUAL -> "Give it to the app as its " + i.target().provider() + " API key; the gateway swaps in the real one.";
      });
      out.flush();
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key at once.")
  static final class Revoke implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ID", description = "The key's id, as keys list shows it.") String id;

    @CommandLine.Mixin ProjectsCommand.DataDir dir;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      boolean revoked = ProjectsCommand.refusalsAsConfigErrors(() -> dir.open().revokeKey(id));
      if (!revoked) {
        throw new ConfigException("there is no key with id '" + id + "' (sightline keys list shows the ids)");
      }
      spec.commandLine().getOut().println("revoked key " + id + " (a running server refuses it within a second)");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
