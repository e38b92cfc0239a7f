package dev.sightline.server;

import dev.sightline.access.AccessControl;
import dev.sightline.access.AccessFileException;
import dev.sightline.access.Project;
import dev.sightline.access.Retention;
import dev.sightline.server.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sightline projects}: lists and creates projects in the data directory's access file. Safe
 * while the server runs: it notices the change within a second (docs/access.md).
 */
@Command(name = "projects", mixinStandardHelpOptions = true,
    description = "Projects: each has its own data, keys and retention (docs/access.md).",
    subcommands = {ProjectsCommand.List.class, ProjectsCommand.Create.class, ProjectsCommand.SetRetention.class,
        CommandLine.HelpCommand.class})
final class ProjectsCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The {@code --data-dir} option of the access commands, defaulting as the server's does. */
  static final class DataDir {
    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "./data",
        description = "The server's data directory, which holds " + AccessControl.FILE_NAME
            + " (default: ${DEFAULT-VALUE}). Env: SIGHTLINE_DATA_DIR.")
    Path dataDir;

    AccessControl open() {
      try {
        return AccessControl.open(dataDir.resolve(AccessControl.FILE_NAME), Clock.systemUTC());
      } catch (AccessFileException e) {
        throw new ConfigException(e.getMessage());
      }
    }
  }

  /** Runs an access change, turning refusals into the CLI's "sightline: message" and exit code 2. */
  static <T> T refusalsAsConfigErrors(java.util.function.Supplier<T> change) {
    try {
      return change.get();
    } catch (IllegalArgumentException | AccessFileException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  static String days(Integer d) {
    return d == null ? "keep" : d + " d";
  }

  static Integer retentionDays(String option, Integer days) {
    if (days != null && (days < 1 || days > Retention.MAX_DAYS)) {
      throw new ConfigException(option + " must be from 1 to " + Retention.MAX_DAYS + " days; got " + days);
    }
    return days;
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the projects and their retention.")
  static final class List implements Callable<Integer> {
    @CommandLine.Mixin DataDir dir;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      AccessControl access = dir.open();
      PrintWriter out = spec.commandLine().getOut();
      out.printf("%-24s %-20s %-10s %-10s %s%n", "PROJECT", "CREATED", "DATA", "CONTENT", "KEYS");
      for (Project p : access.projects()) {
        out.printf("%-24s %-20s %-10s %-10s %d%n", p.name(), p.created(), days(p.retention().dataDays()),
            days(p.retention().contentDays()), access.keys(p.name()).size());
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a project.")
  static final class Create implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME",
        description = "1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.")
    String name;

    @Option(names = "--retention-days", paramLabel = "N",
        description = "Delete its calls, spans, logs and metric points after N days (default: the server's --retention).")
    Integer dataDays;

    @Option(names = "--content-retention-days", paramLabel = "N",
        description = "Clear prompts and completions after N days, keeping the numbers (default: the server's"
            + " --content-retention).")
    Integer contentDays;

    @CommandLine.Mixin DataDir dir;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Retention r = new Retention(retentionDays("--retention-days", dataDays),
          retentionDays("--content-retention-days", contentDays));
      AccessControl access = dir.open();
      Project p = refusalsAsConfigErrors(() -> access.createProject(name, r));
      PrintWriter out = spec.commandLine().getOut();
      out.println("created project " + p.name() + " (data: " + days(r.dataDays()) + ", content: "
          + days(r.contentDays()) + ")");
      out.println("next: sightline keys create --project " + p.name() + " --kind ingest");
      out.flush();
      return 0;
    }
  }

  @Command(name = "set-retention", mixinStandardHelpOptions = true,
      description = "Change a project's retention; an option left out means keep (or the server's default).")
  static final class SetRetention implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--retention-days", paramLabel = "N") Integer dataDays;

    @Option(names = "--content-retention-days", paramLabel = "N") Integer contentDays;

    @CommandLine.Mixin DataDir dir;
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      Retention r = new Retention(retentionDays("--retention-days", dataDays),
          retentionDays("--content-retention-days", contentDays));
      AccessControl access = dir.open();
      Project p = refusalsAsConfigErrors(() -> access.setRetention(name, r));
      spec.commandLine().getOut().println("project " + p.name() + ": data " + days(r.dataDays()) + ", content "
          + days(r.contentDays()));
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
