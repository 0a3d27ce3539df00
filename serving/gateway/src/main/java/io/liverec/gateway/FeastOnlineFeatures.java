package io.liverec.gateway;

import io.liverec.api.errors.LiverecException;
import io.liverec.featurestore.client.FeastClientOnlineFeatures;
import io.liverec.featurestore.client.OnlineFeatures.Feature;
import io.liverec.featurestore.client.OnlineFeatures.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Online features from a Feast ServingService (LiveRec's feature server, or any Feast feature
 * server speaking the gRPC protocol) through the Feast Java SDK. Two feature views are read: {@code
 * <userView>} keyed by {@code user_id} (STRING) with {@code sparse} and {@code seq} (INT64_LIST),
 * and {@code <roomView>} keyed by {@code room_id} (INT64) with {@code sparse} (INT64_LIST) and
 * {@code dense} (FLOAT_LIST). A value that is not PRESENT (not found, null, past its ttl, corrupt)
 * makes the entity absent; a call that fails or passes the deadline throws {@link
 * FeaturesUnavailableException}.
 */
public final class FeastOnlineFeatures implements OnlineFeatures, AutoCloseable {
  /** The endpoint ({@code host:port}) as a system property; the environment variable below next. */
  public static final String PROPERTY = "liverec.features.endpoint";

  public static final String ENV = "LIVEREC_FEATURES_ENDPOINT";
  public static final String DEADLINE_PROPERTY = "liverec.features.deadline-ms";
  public static final String DEADLINE_ENV = "LIVEREC_FEATURES_DEADLINE_MS";
  public static final Duration DEFAULT_DEADLINE = Duration.ofMillis(100);
  public static final String USER_VIEW = "user_features";
  public static final String ROOM_VIEW = "room_features";

  private final io.liverec.featurestore.client.OnlineFeatures client;
  private final List<String> userRefs;
  private final List<String> roomRefs;

  public FeastOnlineFeatures(
      io.liverec.featurestore.client.OnlineFeatures client, String userView, String roomView) {
    this.client = client;
    this.userRefs = List.of(userView + ":sparse", userView + ":seq");
    this.roomRefs = List.of(roomView + ":sparse", roomView + ":dense");
  }

  /** A client for {@code host:port} with a deadline on every call, reading the default views. */
  public static FeastOnlineFeatures connect(String endpoint, Duration deadline) {
    int colon = endpoint.lastIndexOf(':');
    int port;
    try {
      port = colon < 1 ? -1 : Integer.parseInt(endpoint.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65_535) {
      throw LiverecException.badInput(
          "features endpoint: expected host:port, got '" + endpoint + "'");
    }
    return new FeastOnlineFeatures(
        new FeastClientOnlineFeatures(endpoint.substring(0, colon), port, deadline),
        USER_VIEW,
        ROOM_VIEW);
  }

  /** The configured endpoint (system property, then environment), if any. */
  public static Optional<String> configuredEndpoint() {
    return setting(PROPERTY, ENV);
  }

  /** The configured deadline, else {@link #DEFAULT_DEADLINE}. */
  public static Duration configuredDeadline() {
    return setting(DEADLINE_PROPERTY, DEADLINE_ENV)
        .map(v -> Duration.ofMillis(Long.parseLong(v)))
        .orElse(DEFAULT_DEADLINE);
  }

  private static Optional<String> setting(String property, String env) {
    String v = System.getProperty(property);
    if (v == null || v.isBlank()) {
      v = System.getenv(env);
    }
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * Calls the server until one call answers within the deadline or {@code max} has passed, so the
   * channel is connected and the classes loaded before the first request (a cold first call often
   * passes a 100 ms deadline). False if it never answered; requests then fall back until it does.
   */
  public boolean warmUp(Duration max) {
    long until = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        user("");
        return true;
      } catch (FeaturesUnavailableException e) {
        if (System.nanoTime() >= until) {
          return false;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  @Override
  public Optional<UserFeatures> user(String userId) {
    Map<String, Feature> row = fetch(userRefs, List.of(Map.of("user_id", userId))).get(0);
    if (!present(row, userRefs)) {
      return Optional.empty();
    }
    return Optional.of(
        new UserFeatures(longs(row.get(userRefs.get(0))), longs(row.get(userRefs.get(1)))));
  }

  @Override
  public Optional<RoomFeatures> room(int roomId) {
    return Optional.ofNullable(rooms(List.of(roomId)).get(roomId));
  }

  @Override
  public Map<Integer, RoomFeatures> rooms(List<Integer> roomIds) {
    Map<Integer, RoomFeatures> out = new LinkedHashMap<>();
    if (roomIds.isEmpty()) {
      return out;
    }
    List<Map<String, Object>> keys = new ArrayList<>(roomIds.size());
    for (int id : roomIds) {
      keys.add(Map.of("room_id", (long) id));
    }
    List<Map<String, Feature>> rows = fetch(roomRefs, keys);
    for (int i = 0; i < roomIds.size(); i++) {
      Map<String, Feature> row = rows.get(i);
      if (present(row, roomRefs)) {
        out.put(
            roomIds.get(i),
            new RoomFeatures(longs(row.get(roomRefs.get(0))), floats(row.get(roomRefs.get(1)))));
      }
    }
    return out;
  }

  private List<Map<String, Feature>> fetch(List<String> refs, List<Map<String, Object>> keys) {
    List<Map<String, Feature>> rows;
    try {
      rows = client.get(refs, keys);
    } catch (RuntimeException e) {
      throw new FeaturesUnavailableException("online features: " + e.getMessage(), e);
    }
    if (rows.size() != keys.size()) {
      throw new FeaturesUnavailableException(
          "online features: " + rows.size() + " rows for " + keys.size() + " entities", null);
    }
    return rows;
  }

  private static boolean present(Map<String, Feature> row, List<String> refs) {
    for (String r : refs) {
      Feature f = row.get(r);
      if (f == null || f.status() != Status.PRESENT || !(f.value() instanceof List<?>)) {
        return false;
      }
    }
    return true;
  }

  private static long[] longs(Feature f) {
    List<?> l = (List<?>) f.value();
    long[] v = new long[l.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) l.get(i)).longValue();
    }
    return v;
  }

  private static float[] floats(Feature f) {
    List<?> l = (List<?>) f.value();
    float[] v = new float[l.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) l.get(i)).floatValue();
    }
    return v;
  }

  @Override
  public void close() {
    client.close();
  }
}
