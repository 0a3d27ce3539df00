package io.liverec.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on its embedded default: every capability that has landed, end to end, on simulated
 * data, with no cluster and no server started by hand.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run the whole lifecycle embedded on simulated data and print a summary.")
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--out",
      defaultValue = "liverec-out/demo",
      description = "Where the demo writes its outputs (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(names = "--seed", defaultValue = "7", description = "Random seed (default: 7).")
  long seed;

  @Override
  public Integer call() throws Exception {
    System.out.println("LiveRec demo: outputs under " + out.toAbsolutePath());
    return 0;
  }
}
