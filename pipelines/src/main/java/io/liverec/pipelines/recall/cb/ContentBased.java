package io.liverec.pipelines.recall.cb;

import io.liverec.pipelines.recall.Retriever;
import io.liverec.pipelines.recall.TopK;
import io.liverec.pipelines.recall.data.Interaction;
import io.liverec.pipelines.recall.data.LiveRooms;
import io.liverec.pipelines.recall.data.RecallDataset;
import io.liverec.pipelines.recall.data.RoomCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Content-based recall: an inverted index from content terms (category, language, tag) to rooms,
 * queried with the user's term affinities and ranked by the heuristic
 *
 * <pre>
 *   score(u, r) = (A_cat(u, cat r) + TAG_WEIGHT · mean_t A_tag(u, t) + PRIOR)
 *                 · (lang(r) ∈ langs(u) ? 1 : LANGUAGE_MISMATCH)
 *                 · log(2 + clicks(r) in the last POPULARITY_DAYS of training)
 * </pre>
 *
 * where A are the user's click shares per term over their training clicks. Candidates are the
 * postings of the user's terms, restricted to live rooms. A user without history has no terms: the
 * documented default is the most popular live rooms in their profile language (then any language).
 */
public final class ContentBased implements Retriever {
  static final double TAG_WEIGHT = 0.5;
  static final double PRIOR = 0.05;
  static final double LANGUAGE_MISMATCH = 0.2;
  static final int POPULARITY_DAYS = 3;

  private final RoomCatalog rooms;
  private final Map<Integer, int[]> byCategory;
  private final Map<Integer, int[]> byTag;
  private final Map<Integer, int[]> byLanguage;
  private final double[] logPopularity;
  private final List<Map<Integer, Double>> categoryShare;
  private final List<Map<Integer, Double>> tagShare;
  private final List<Map<Integer, Double>> languageShare;
  private final int[] profileLanguage;

  private ContentBased(RecallDataset train) {
    this.rooms = train.rooms();
    this.byCategory = postings(rooms, r -> new int[] {rooms.category(r)});
    this.byTag = postings(rooms, rooms::tags);
    this.byLanguage = postings(rooms, r -> new int[] {rooms.language(r)});
    this.logPopularity = new double[rooms.size()];
    long last =
        train.clicks().isEmpty() ? 0 : train.clicks().get(train.clicks().size() - 1).timestamp();
    long since = last - POPULARITY_DAYS * RecallDataset.DAY_MS;
    int[] recentClicks = new int[rooms.size()];
    for (Interaction c : train.clicks()) {
      if (c.timestamp() > since) {
        recentClicks[c.room()]++;
      }
    }
    for (int r = 0; r < rooms.size(); r++) {
      logPopularity[r] = Math.log(2 + recentClicks[r]);
    }
    this.categoryShare = new ArrayList<>();
    this.tagShare = new ArrayList<>();
    this.languageShare = new ArrayList<>();
    for (int u = 0; u < train.numUsers(); u++) {
      categoryShare.add(new HashMap<>());
      tagShare.add(new HashMap<>());
      languageShare.add(new HashMap<>());
    }
    int[] clicksPerUser = new int[train.numUsers()];
    for (Interaction c : train.clicks()) {
      clicksPerUser[c.user()]++;
      categoryShare.get(c.user()).merge(rooms.category(c.room()), 1.0, Double::sum);
      languageShare.get(c.user()).merge(rooms.language(c.room()), 1.0, Double::sum);
      for (int t : rooms.tags(c.room())) {
        tagShare.get(c.user()).merge(t, 1.0, Double::sum);
      }
    }
    for (int u = 0; u < train.numUsers(); u++) {
      double n = clicksPerUser[u];
      if (n > 0) {
        categoryShare.get(u).replaceAll((k, v) -> v / n);
        tagShare.get(u).replaceAll((k, v) -> v / n);
        languageShare.get(u).replaceAll((k, v) -> v / n);
      }
    }
    this.profileLanguage = train.userLanguage();
  }

  /** Builds the index and the user affinities from the training clicks. */
  public static ContentBased fit(RecallDataset train) {
    return new ContentBased(train);
  }

  @Override
  public String name() {
    return "content";
  }

  @Override
  public int[] retrieve(int user, int[] recentRooms, LiveRooms live, int k) {
    boolean known = user >= 0 && user < categoryShare.size();
    if (!known || categoryShare.get(user).isEmpty()) {
      return popularInLanguage(known ? profileLanguage[user] : -1, live, k);
    }
    Map<Integer, Double> cat = categoryShare.get(user);
    Map<Integer, Double> tag = tagShare.get(user);
    Map<Integer, Double> lang = languageShare.get(user);
    Map<Integer, Double> scores = new HashMap<>();
    for (int c : cat.keySet()) {
      score(byCategory.get(c), cat, tag, lang, live, scores);
    }
    for (int t : tag.keySet()) {
      score(byTag.get(t), cat, tag, lang, live, scores);
    }
    return TopK.of(scores, k);
  }

  private void score(
      int[] posting,
      Map<Integer, Double> cat,
      Map<Integer, Double> tag,
      Map<Integer, Double> lang,
      LiveRooms live,
      Map<Integer, Double> scores) {
    if (posting == null) {
      return;
    }
    for (int r : posting) {
      if (!live.isLive(r) || scores.containsKey(r)) {
        continue;
      }
      double tagAffinity = 0;
      int[] tags = rooms.tags(r);
      for (int t : tags) {
        tagAffinity += tag.getOrDefault(t, 0.0);
      }
      if (tags.length > 0) {
        tagAffinity /= tags.length;
      }
      double content = cat.getOrDefault(rooms.category(r), 0.0) + TAG_WEIGHT * tagAffinity + PRIOR;
      double language = lang.containsKey(rooms.language(r)) ? 1.0 : LANGUAGE_MISMATCH;
      scores.put(r, content * language * logPopularity[r]);
    }
  }

  /** Default for users without history: popular live rooms, profile language first. */
  private int[] popularInLanguage(int language, LiveRooms live, int k) {
    Map<Integer, Double> scores = new HashMap<>();
    int[] sameLanguage = byLanguage.get(language);
    for (int r : live.ids()) {
      scores.put(r, logPopularity[r] * LANGUAGE_MISMATCH);
    }
    if (sameLanguage != null) {
      for (int r : sameLanguage) {
        if (live.isLive(r)) {
          scores.put(r, logPopularity[r]);
        }
      }
    }
    return TopK.of(scores, k);
  }

  private interface Terms {
    int[] of(int room);
  }

  private static Map<Integer, int[]> postings(RoomCatalog rooms, Terms terms) {
    Map<Integer, List<Integer>> lists = new HashMap<>();
    for (int r = 0; r < rooms.size(); r++) {
      for (int t : terms.of(r)) {
        if (t >= 0) {
          lists.computeIfAbsent(t, x -> new ArrayList<>()).add(r);
        }
      }
    }
    Map<Integer, int[]> out = new HashMap<>();
    lists.forEach((t, l) -> out.put(t, l.stream().mapToInt(Integer::intValue).toArray()));
    return out;
  }
}
