package io.liverec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code liverec ablate}: controlled comparisons of model variants over seeds. Each area adds its
 * own subcommand here (recall: {@code ablate recall}).
 */
@Command(
    name = "ablate",
    mixinStandardHelpOptions = true,
    description = "Compare variants on the same splits over several seeds (mean ± 95%% CI).",
    subcommands = {
      io.liverec.pipelines.recall.cli.AblateRecallCommand.class,
      io.liverec.pipelines.train.AblateRankingCommand.class
    })
public final class AblateCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
