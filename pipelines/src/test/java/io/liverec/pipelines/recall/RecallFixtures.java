package io.liverec.pipelines.recall;

import io.liverec.pipelines.recall.data.Interaction;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.data.RoomCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small in-memory click log for recall unit tests: users and rooms belong to taste groups; a user
 * clicks rooms of their group (popular ones more) with probability {@code 1 - noise}, any live room
 * otherwise. Rooms are live a few hours a day; some rooms start on the last day (cold). Category =
 * group, so content, co-clicks and embeddings all carry the signal.
 */
public final class RecallFixtures {
  private RecallFixtures() {}

  public static RecallDataset grouped(long seed, int users, int rooms, int groups, int days) {
    Random rnd = new Random(seed);
    long h = 3_600_000L;
    int[] group = new int[rooms];
    int[] cat = new int[rooms];
    int[] lang = new int[rooms];
    int[][] tags = new int[rooms][];
    float[][] content = new float[rooms][];
    long[][] start = new long[rooms][];
    long[][] end = new long[rooms][];
    double[] pop = new double[rooms];
    int[] firstDay = new int[rooms];
    for (int r = 0; r < rooms; r++) {
      group[r] = r % groups;
      cat[r] = group[r];
      lang[r] = group[r] % 2;
      tags[r] = new int[] {100 + group[r], 200 + rnd.nextInt(5)};
      content[r] = new float[4];
      for (int d = 0; d < 4; d++) {
        content[r][d] = (float) (rnd.nextGaussian() * 0.3 + (d == group[r] % 4 ? 1 : 0));
      }
      pop[r] = Math.exp(rnd.nextGaussian());
      firstDay[r] = rnd.nextDouble() < 0.1 ? days - 1 : 0;
      int startHour = rnd.nextInt(24);
      int hours = 4 + rnd.nextInt(8);
      start[r] = new long[days];
      end[r] = new long[days];
      for (int d = 0; d < days; d++) {
        long s = d * RecallDataset.DAY_MS + startHour * h;
        boolean on = d >= firstDay[r];
        start[r][d] = on ? s : 0;
        end[r][d] = on ? s + hours * h : 0;
      }
    }
    RoomCatalog catalog = new RoomCatalog(cat, lang, tags, content, 4, start, end);
    int[] userGroup = new int[users];
    int[] userLang = new int[users];
    List<Interaction> clicks = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      userGroup[u] = rnd.nextInt(groups);
      userLang[u] = userGroup[u] % 2;
      for (int d = 0; d < days; d++) {
        int n = rnd.nextInt(6);
        for (int i = 0; i < n; i++) {
          long t = d * RecallDataset.DAY_MS + (long) (rnd.nextDouble() * RecallDataset.DAY_MS);
          int room = pick(rnd, catalog, group, pop, t, rnd.nextDouble() < 0.8 ? userGroup[u] : -1);
          if (room >= 0) {
            clicks.add(new Interaction(u, room, t, rnd.nextBoolean()));
          }
        }
      }
    }
    return new RecallDataset(catalog, users, userLang, clicks);
  }

  /** A live room at t, of the group (or any group for -1), drawn proportionally to popularity. */
  private static int pick(
      Random rnd, RoomCatalog rooms, int[] group, double[] pop, long t, int wanted) {
    double total = 0;
    double[] w = new double[rooms.size()];
    for (int r = 0; r < rooms.size(); r++) {
      if (rooms.liveDuring(r, t, t + 1) && (wanted < 0 || group[r] == wanted)) {
        w[r] = pop[r];
        total += w[r];
      }
    }
    if (total == 0) {
      return -1;
    }
    double x = rnd.nextDouble() * total;
    for (int r = 0; r < w.length; r++) {
      x -= w[r];
      if (w[r] > 0 && x <= 0) {
        return r;
      }
    }
    return -1;
  }
}
