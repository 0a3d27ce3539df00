package io.liverec.pipelines.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The simulator's users as live traffic for a served model: the same world (same seed) the event
 * log was drawn from, answering the lists a gateway shows them with clicks, conversions and gifts
 * drawn from the planted preferences, so a model that ranks what users really want earns more
 * clicks. Used by the closed-loop canary ({@code liverec canary-sim}): requests arrive one at a
 * time on the caller's clock, on day index {@code day} (by default the day after the log).
 *
 * <p>Users are picked by their activity, surfaces by their share, as in the {@link Simulator}; a
 * click's probability depends on the position shown (the same position bias), conversion and gift
 * follow a click as in the log. Not thread-safe: one caller drives it.
 */
public final class Audience {
  private final World world;
  private final int day;
  private final double[] activityCdf;
  private final int[][] recent;
  private final int[] recentCount;
  private final Surface[] surfaces = Surface.values();

  /** A visit: who asks, where, at which hour, and how many rooms the surface shows. */
  public record Visit(long userId, String surface, int hour, int listLength) {}

  /** What the user did with the room at one position of the list. */
  public record Reaction(
      long roomId, int position, boolean click, boolean conversion, boolean gift) {}

  /**
   * @param cfg the world's configuration (the one the event log was simulated with)
   * @param day the day index the traffic happens on; {@code cfg.days} is the day after the log
   */
  public Audience(SimulatorConfig cfg, int day) {
    this.world = new World(cfg.copy());
    this.day = day;
    this.activityCdf = Simulator.cumulative(world.activity);
    this.recent = new int[cfg.users][20];
    this.recentCount = new int[cfg.users];
    world.effects.useContent(world.sessionContent(day));
  }

  /** Rooms in the world (ids 1..rooms). */
  public int rooms() {
    return world.rooms();
  }

  /** Ids of the rooms live at {@code hour} of this audience's day. */
  public List<Long> liveRooms(int hour) {
    List<Long> live = new ArrayList<>();
    for (int r = 0; r < world.rooms(); r++) {
      if (world.isLive(r, day, hour)) {
        live.add(r + 1L);
      }
    }
    return live;
  }

  /** The next request: a user by activity, a surface by share. */
  public Visit nextVisit(int hour, SplittableRandom rng) {
    int u = Simulator.pick(activityCdf, rng.nextDouble());
    Surface s = Simulator.pickSurface(surfaces, rng.nextDouble());
    return new Visit(u + 1L, s.id(), hour, s.listLength());
  }

  /**
   * The user's answer to the list shown (best first): one reaction per shown room that exists in
   * the world. Clicked rooms become the user's recent rooms, as in the log.
   */
  public List<Reaction> react(Visit v, long[] shown, SplittableRandom rng) {
    int u = (int) v.userId() - 1;
    int surface = surfaceIndex(v.surface());
    List<Reaction> out = new ArrayList<>(shown.length);
    for (int pos = 0; pos < shown.length; pos++) {
      int r = (int) shown[pos] - 1;
      if (r < 0 || r >= world.rooms()) {
        continue;
      }
      boolean isRecent = isRecent(u, r + 1);
      double pctr =
          PlantedEffects.sigmoid(world.effects.clickLogit(u, r, v.hour(), surface, pos, isRecent));
      boolean click = rng.nextDouble() < pctr;
      boolean conversion = false;
      boolean gift = false;
      if (click) {
        conversion =
            rng.nextDouble()
                < PlantedEffects.sigmoid(world.effects.conversionLogit(u, r, v.hour(), surface));
        gift =
            conversion && rng.nextDouble() < PlantedEffects.sigmoid(world.effects.giftLogit(u, r));
        recent[u][recentCount[u] % recent[u].length] = r + 1;
        recentCount[u]++;
      }
      out.add(new Reaction(r + 1L, pos, click, conversion, gift));
    }
    return out;
  }

  private boolean isRecent(int u, int roomId) {
    int n = Math.min(recentCount[u], recent[u].length);
    for (int i = 0; i < n; i++) {
      if (recent[u][i] == roomId) {
        return true;
      }
    }
    return false;
  }

  private int surfaceIndex(String id) {
    for (Surface s : surfaces) {
      if (s.id().equals(id)) {
        return s.ordinal();
      }
    }
    throw new IllegalArgumentException("unknown surface " + id);
  }
}
