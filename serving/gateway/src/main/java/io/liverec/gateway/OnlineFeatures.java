package io.liverec.gateway;

import java.util.Optional;

/**
 * Where the gateway reads online features. {@link InProcessOnlineFeatures} holds them in memory
 * (embedded mode, tests); a Feast-backed implementation plugs in here.
 */
public interface OnlineFeatures {
  /** Empty for a user the store does not know (cold start). */
  Optional<UserFeatures> user(String userId);

  /** Empty for a room without features (the ranker cannot score it). */
  Optional<RoomFeatures> room(int roomId);
}
