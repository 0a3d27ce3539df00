package io.liverec.cli;

import io.liverec.api.errors.ExitCode;
import io.liverec.api.errors.LiverecException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/** Entry point of the {@code liverec} command line. */
@Command(
    name = "liverec",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "LiveRec: live-streaming recommendation, from impression logs to a canaried model.",
      "Every command runs embedded (no cluster); the same custom resources run on Kubernetes."
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  ok",
      "  1  usage error (unknown option, missing argument)",
      "  2  bad input or unreachable server",
      "  3  a quality gate failed (nothing was changed)",
      "  4  internal error (a bug: the stack trace is printed)"
    },
    subcommands = {
      DemoCommand.class,
      CanarySimCommand.class,
      RunCommand.class,
      io.liverec.pipelines.sim.SimulateCommand.class,
      io.liverec.pipelines.sampling.SampleCommand.class,
      io.liverec.pipelines.train.TrainCommand.class,
      io.liverec.pipelines.tracking.cli.PromoteCommand.class,
      io.liverec.pipelines.tracking.cli.SyncCommand.class,
      AblateCommand.class,
      ServeCommand.class,
      RolloutCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * Accepted before or after any subcommand. The native TensorFlow log level is read from the
   * environment when the library loads, so {@code bin/liverec} acts on this flag: without it the
   * launcher sets {@code TF_CPP_MIN_LOG_LEVEL=2}, with it the variable is left as the user has it.
   */
  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "show native TensorFlow start-up logs (quiet by default)")
  boolean verbose;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (tests call this instead of main). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    MaterializeCommand.register(cli);
    cli.setParameterExceptionHandler(Main::onUsageError);
    cli.setExecutionExceptionHandler(Main::onExecutionError);
    return cli;
  }

  private static int onUsageError(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println(cmd.getColorScheme().errorText(e.getMessage()));
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      cmd.usage(err, cmd.getColorScheme());
    }
    return ExitCode.USAGE;
  }

  private static int onExecutionError(
      Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
    PrintWriter err = cmd.getErr();
    if (e instanceof LiverecException le) {
      err.println(cmd.getColorScheme().errorText("error: " + le.getMessage()));
      return le.exitCode();
    }
    if (e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException) {
      err.println(cmd.getColorScheme().errorText("error: " + e.getMessage()));
      return ExitCode.BAD_INPUT;
    }
    if (e instanceof org.mlflow.tracking.MlflowClientException) {
      err.println(
          cmd.getColorScheme().errorText("error: MLflow request failed: " + e.getMessage()));
      return ExitCode.BAD_INPUT;
    }
    err.println(cmd.getColorScheme().errorText("internal error (a bug; please report it):"));
    e.printStackTrace(err);
    return ExitCode.INTERNAL;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Reads the version from the jar manifest; "dev" when run from classes. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"liverec " + (v == null ? "dev" : v)};
    }
  }
}
