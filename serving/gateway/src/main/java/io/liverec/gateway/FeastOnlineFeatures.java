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
 * {@code dense} (FLOAT_LIST) — the pre-encoded inputs. {@link #reading} names other features of the
 * views instead or as well: raw attributes by training column name for a ranker that ships its
 * feature transform; the room's join key is then an attribute too ({@code room_id}).
 *
 * <p>A pre-encoded input that is not PRESENT (not found, null, past its ttl, corrupt) makes the
 * entity absent; an attribute that is not PRESENT is left out (the transform repairs it as in
 * training), and an entity read only by attributes is absent when none is PRESENT. A call that
 * fails or passes the deadline throws {@link FeaturesUnavailableException}.
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

  /** The user view's pre-encoded inputs (the user tower's). */
  public static final List<String> USER_INPUTS = List.of("sparse", "seq");

  /** The room view's pre-encoded inputs (a ranker without a transform). */
  public static final List<String> ROOM_INPUTS = List.of("sparse", "dense");

  private final io.liverec.featurestore.client.OnlineFeatures client;
  private final String userView;
  private final String roomView;
  private final Refs user;
  private final Refs room;
  private final boolean numericUserIds;

  public FeastOnlineFeatures(
      io.liverec.featurestore.client.OnlineFeatures client, String userView, String roomView) {
    this(client, userView, roomView, USER_INPUTS, ROOM_INPUTS, false);
  }

  private FeastOnlineFeatures(
      io.liverec.featurestore.client.OnlineFeatures client,
      String userView,
      String roomView,
      List<String> userFeatures,
      List<String> roomFeatures,
      boolean numericUserIds) {
    this.client = client;
    this.numericUserIds = numericUserIds;
    this.userView = userView;
    this.roomView = roomView;
    this.user = new Refs(userView, userFeatures, USER_INPUTS);
    this.room = new Refs(roomView, roomFeatures, ROOM_INPUTS);
    if (!user.inputs.containsAll(USER_INPUTS.stream().map(f -> userView + ":" + f).toList())) {
      throw LiverecException.badInput(
          "online features: the user view must serve "
              + USER_INPUTS
              + " (the user tower's inputs)");
    }
  }

  /**
   * The same client reading these features of the two views: {@code sparse} and {@code seq} of the
   * user view (required), {@code sparse} and {@code dense} of the room view if listed, any other
   * name as a raw attribute. With {@code numericUserIds} the user view's key {@code user_id} is
   * INT64 (as in the event log's own views, which share the registry's one {@code user_id} entity),
   * and a user id that is not a number is a user the store cannot hold (cold start). Closing either
   * instance closes the shared client.
   */
  public FeastOnlineFeatures reading(
      List<String> userFeatures, List<String> roomFeatures, boolean numericUserIds) {
    return new FeastOnlineFeatures(
        client, userView, roomView, userFeatures, roomFeatures, numericUserIds);
  }

  /** The references asked for, user view's first. */
  public List<String> references() {
    List<String> all = new ArrayList<>(user.all);
    all.addAll(room.all);
    return all;
  }

  /** A view's references, split into pre-encoded inputs and attributes. */
  private static final class Refs {
    final List<String> all = new ArrayList<>();
    final List<String> inputs = new ArrayList<>();
    final List<String> attributes = new ArrayList<>();
    final List<String> attributeNames = new ArrayList<>();

    Refs(String view, List<String> features, List<String> inputNames) {
      for (String f : new java.util.LinkedHashSet<>(features)) {
        if (f == null || f.isBlank() || f.contains(":")) {
          throw LiverecException.badInput(
              "online features of " + view + ": '" + f + "' is not a feature name");
        }
        String ref = view + ":" + f;
        all.add(ref);
        if (inputNames.contains(f)) {
          inputs.add(ref);
        } else {
          attributes.add(ref);
          attributeNames.add(f);
        }
      }
    }

    /** PRESENT attributes by name; empty when none is. */
    Map<String, Object> attributes(Map<String, Feature> row) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int i = 0; i < attributes.size(); i++) {
        Feature f = row.get(attributes.get(i));
        if (f != null && f.status() == Status.PRESENT && f.value() != null) {
          out.put(attributeNames.get(i), f.value());
        }
      }
      return out;
    }

    /** An input's value, or null if the view is not read for it. */
    Feature input(Map<String, Feature> row, String name, String view) {
      String ref = view + ":" + name;
      return inputs.contains(ref) ? row.get(ref) : null;
    }
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
    Object key = userId;
    if (numericUserIds) {
      try {
        key = Long.parseLong(userId.trim());
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    Map<String, Feature> row = fetch(user.all, List.of(Map.of("user_id", key))).get(0);
    if (!present(row, user.inputs)) {
      return Optional.empty();
    }
    return Optional.of(
        new UserFeatures(
            longs(user.input(row, "sparse", userView)),
            longs(user.input(row, "seq", userView)),
            user.attributes(row)));
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
    List<Map<String, Feature>> rows = fetch(room.all, keys);
    for (int i = 0; i < roomIds.size(); i++) {
      Map<String, Feature> row = rows.get(i);
      if (!present(row, room.inputs)) {
        continue;
      }
      Map<String, Object> attributes = room.attributes(row);
      if (room.inputs.isEmpty() && attributes.isEmpty()) {
        continue; // read by attributes only, and none is there
      }
      if (!room.attributes.isEmpty()) {
        attributes.put("room_id", (long) roomIds.get(i));
      }
      out.put(
          roomIds.get(i),
          new RoomFeatures(
              longs(room.input(row, "sparse", roomView)),
              floats(room.input(row, "dense", roomView)),
              attributes));
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
    if (f == null) {
      return new long[0];
    }
    List<?> l = (List<?>) f.value();
    long[] v = new long[l.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = ((Number) l.get(i)).longValue();
    }
    return v;
  }

  private static float[] floats(Feature f) {
    if (f == null) {
      return new float[0];
    }
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
