package io.liverec.pipelines.sim;

import java.nio.file.Path;

/** Ready-made simulations for tests and demos. */
public final class Simulations {
  private Simulations() {}

  /**
   * A small log (300 users, 60 rooms, 2 days, about 25 000 impressions) written to {@code dir} in a
   * second or two: a fixture for other modules' tests.
   */
  public static SimulationReport small(Path dir, long seed) {
    return new Simulator(smallConfig(seed)).run(dir, n -> {});
  }

  /** The configuration of {@link #small(Path, long)}, to adjust before running. */
  public static SimulatorConfig smallConfig(long seed) {
    SimulatorConfig cfg = new SimulatorConfig();
    cfg.users = 300;
    cfg.rooms = 60;
    cfg.days = 2;
    cfg.seed = seed;
    cfg.requestsPerUserPerDay = 6;
    return cfg;
  }
}
