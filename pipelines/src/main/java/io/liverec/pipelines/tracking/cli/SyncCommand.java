package io.liverec.pipelines.tracking.cli;

import io.liverec.api.errors.ExitCode;
import io.liverec.pipelines.tracking.MlflowSync;
import io.liverec.registry.MlflowGateway;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code liverec sync}: upload runs recorded while MLflow was unreachable, exactly once. */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description =
        "Upload to MLflow every run under a directory whose records are not yet complete there."
            + " Safe to repeat: runs and model versions are never duplicated.")
public final class SyncCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin TrackingOptions tracking;

  @Option(
      names = "--runs",
      defaultValue = "liverec-out",
      description = "Directory searched for run records (default: ${DEFAULT-VALUE}).")
  Path runs;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(runs)) {
      out.println("nothing to sync: " + runs + " does not exist");
      return ExitCode.OK;
    }
    int failed = 0;
    int synced = 0;
    try (MlflowGateway mlflow = tracking.open()) {
      for (Map.Entry<Path, Object> e : new MlflowSync(mlflow).syncAll(runs).entrySet()) {
        if (e.getValue() instanceof MlflowSync.Outcome o) {
          synced++;
          out.printf(
              "synced %s -> run %s%s%n",
              e.getKey(),
              o.runId(),
              o.modelVersion() == null ? "" : ", model version " + o.modelVersion());
        } else {
          failed++;
          out.printf("FAILED %s: %s%n", e.getKey(), ((Exception) e.getValue()).getMessage());
        }
      }
    }
    out.printf("%d run(s) synced, %d failed%n", synced, failed);
    out.flush();
    return failed == 0 ? ExitCode.OK : ExitCode.BAD_INPUT;
  }
}
