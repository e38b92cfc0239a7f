package dev.sightline.server;

import dev.sightline.server.config.ConfigDefaults;
import dev.sightline.server.config.ConfigException;
import dev.sightline.server.demo.DemoCommand;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code sightline} command line. */
@Command(name = "sightline", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Sightline: LLM observability. OTLP in, correct LLM calls out.",
    subcommands = {ServerCommand.class, DemoCommand.class, PricingCommand.class, ProjectsCommand.class, KeysCommand.class,
        CommandLine.HelpCommand.class},
    footer = {"", "Every option has an environment equivalent: --http-port -> SIGHTLINE_HTTP_PORT.",
        "Docs: docs/quickstart.md, docs/configuration.md, docs/api.md"})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // Netty's leak detector samples buffer allocations and records a stack trace for each sampled
    // one; on the gateway's per-chunk path that is measurable CPU. Off unless the user sets it.
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      System.setProperty("io.netty.leakDetection.level", "disabled");
    }
    System.exit(run(args, System.getenv()));
  }

  /** The command line with its defaults from the environment and config file; throws ConfigException. */
  static CommandLine commandLine(String[] args, Map<String, String> env) {
    CommandLine cli = new CommandLine(new Main());
    ConfigDefaults defaults = new ConfigDefaults(env, ConfigDefaults.configFileFrom(args, env));
    cli.setDefaultValueProvider(defaults);
    defaults.checkKnownKeys(knownKeys(cli));
    return cli;
  }

  static int run(String[] args, Map<String, String> env) {
    CommandLine cli;
    try {
      cli = commandLine(args, env);
    } catch (ConfigException e) {
      System.err.println("sightline: " + e.getMessage());
      return 2;
    }
    cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      if (ex instanceof ConfigException || ex instanceof StartupException) {
        cmd.getErr().println("sightline: " + ex.getMessage());
        return 2;
      }
      throw ex;
    });
    return cli.execute(args);
  }

  private static Set<String> knownKeys(CommandLine cli) {
    Set<String> keys = new HashSet<>();
    for (CommandLine sub : cli.getSubcommands().values()) {
      for (OptionSpec o : sub.getCommandSpec().options()) {
        keys.add(o.longestName().replaceFirst("^--", ""));
      }
    }
    return keys;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"sightline " + (v == null ? "dev" : v)};
    }
  }
}
