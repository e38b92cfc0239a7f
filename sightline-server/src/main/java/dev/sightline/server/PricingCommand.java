package dev.sightline.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code sightline pricing}: admin commands for prices and stored costs. */
@Command(name = "pricing", mixinStandardHelpOptions = true,
    description = "Prices and stored costs (docs/pricing.md).",
    subcommands = {RepriceCommand.class, CommandLine.HelpCommand.class})
final class PricingCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
