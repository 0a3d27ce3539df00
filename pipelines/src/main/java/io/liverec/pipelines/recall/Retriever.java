package io.liverec.pipelines.recall;

import io.liverec.pipelines.recall.data.LiveRooms;

/**
 * A recall channel: from a request to at most {@code k} live rooms, best first. Implementations
 * never return a room outside {@code live} and never throw for a user without history (each
 * documents its default in docs/RECALL.md).
 */
public interface Retriever {

  /** Short name used in reports, e.g. {@code i2i}. */
  String name();

  /**
   * @param user dense user id
   * @param recentRooms the user's recent rooms, newest first (may be empty)
   * @param live rooms allowed in the answer
   * @param k maximum number of rooms
   */
  int[] retrieve(int user, int[] recentRooms, LiveRooms live, int k);
}
