package io.liverec.gateway;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the gateway reads online features: {@link InProcessOnlineFeatures} holds them in memory
 * (embedded mode, tests), {@link FeastOnlineFeatures} asks a Feast ServingService. Absent features
 * are answered as empty (cold start; an unscorable room); a store that cannot answer in time throws
 * {@link FeaturesUnavailableException}, which the recommender turns into a counted fallback.
 */
public interface OnlineFeatures {
  /** Empty for a user the store does not know (cold start). */
  Optional<UserFeatures> user(String userId);

  /** Empty for a room without features (the ranker cannot score it). */
  Optional<RoomFeatures> room(int roomId);

  /**
   * The features of those rooms that have them, keyed by room id. Stores behind a network override
   * this with one batched call.
   */
  default Map<Integer, RoomFeatures> rooms(List<Integer> roomIds) {
    Map<Integer, RoomFeatures> out = new LinkedHashMap<>();
    for (int id : roomIds) {
      room(id).ifPresent(f -> out.put(id, f));
    }
    return out;
  }

  /** The store did not answer (down, or slower than its deadline). */
  final class FeaturesUnavailableException extends RuntimeException {
    public FeaturesUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
