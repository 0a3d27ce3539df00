package io.liverec.gateway;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Online features held in memory, writable while serving. */
public final class InProcessOnlineFeatures implements OnlineFeatures {
  private final Map<String, UserFeatures> users = new ConcurrentHashMap<>();
  private final Map<Integer, RoomFeatures> rooms = new ConcurrentHashMap<>();

  public InProcessOnlineFeatures putUser(String userId, UserFeatures f) {
    users.put(userId, f);
    return this;
  }

  public InProcessOnlineFeatures putRoom(int roomId, RoomFeatures f) {
    rooms.put(roomId, f);
    return this;
  }

  @Override
  public Optional<UserFeatures> user(String userId) {
    return Optional.ofNullable(users.get(userId));
  }

  @Override
  public Optional<RoomFeatures> room(int roomId) {
    return Optional.ofNullable(rooms.get(roomId));
  }
}
