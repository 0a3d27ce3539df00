package io.liverec.featurestore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import feast.proto.serving.ServingAPIProto.FeatureList;
import feast.proto.serving.ServingAPIProto.FieldStatus;
import feast.proto.serving.ServingAPIProto.GetFeastServingInfoRequest;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesRequest;
import feast.proto.serving.ServingAPIProto.GetOnlineFeaturesResponse;
import feast.proto.serving.ServingServiceGrpc;
import feast.proto.types.ValueProto.RepeatedValue;
import feast.proto.types.ValueProto.Value;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.liverec.featurestore.UserStats;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.feast.FeastRepo;
import io.liverec.featurestore.feast.Materializer;
import io.liverec.featurestore.feast.OnlineStoreConfig;
import io.liverec.featurestore.feast.OnlineStores;
import io.liverec.featurestore.online.EntityKeys;
import io.liverec.featurestore.online.OnlineStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input and broken state reach the caller as gRPC status codes with a message, and a corrupt
 * stored value is counted and answered with a status — the server keeps serving.
 */
class ServingErrorsIT {
  @TempDir Path dir;
  Path repo;
  UserStats data;
  FeatureServer server;
  ManagedChannel channel;
  ServingServiceGrpc.ServingServiceBlockingStub stub;

  @BeforeEach
  void setUp() throws Exception {
    data = new UserStats(dir.resolve("user_stats.parquet"), 20, 5);
    repo = dir.resolve("repo");
    FeastFeatureRegistry registry =
        new FeastFeatureRegistry(
            new FeastRepo(repo, "liverec", OnlineStoreConfig.parse("sqlite", repo)));
    registry.register("liverec", "user_stats", data.spec("0s"));
    // the same table under a view whose 1 h ttl the data (January 2026) is far past
    registry.register("liverec", "user_stats_1h", data.spec("1h"));
    try (OnlineStore store = OnlineStores.open(registry.repo().online())) {
      Materializer m = new Materializer(registry, store);
      m.materialize("user_stats", UserStats.T0, UserStats.T0.plus(Duration.ofDays(3)));
      m.materialize("user_stats_1h", UserStats.T0, UserStats.T0.plus(Duration.ofDays(3)));
    }
    start();
  }

  private void start() throws Exception {
    server = FeatureServer.start(repo, "127.0.0.1", 0);
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    stub = ServingServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void tearDown() {
    channel.shutdownNow();
    server.close();
  }

  private static GetOnlineFeaturesRequest request(
      List<String> features, String key, Value... values) {
    RepeatedValue.Builder rv = RepeatedValue.newBuilder();
    for (Value v : values) {
      rv.addVal(v);
    }
    return GetOnlineFeaturesRequest.newBuilder()
        .setFeatures(FeatureList.newBuilder().addAllVal(features))
        .putEntities(key, rv.build())
        .build();
  }

  private static Value int64(long v) {
    return Value.newBuilder().setInt64Val(v).build();
  }

  private static void assertStatus(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(code);
              assertThat(e.getStatus().getDescription()).contains(message);
            });
  }

  @Test
  void servingInfoAndAWellFormedRequest() {
    assertThat(
            stub.getFeastServingInfo(GetFeastServingInfoRequest.getDefaultInstance()).getVersion())
        .startsWith("liverec-feature-server");
    // an INT32 entity value (what FeastClient sends for an int) is widened to the declared INT64
    GetOnlineFeaturesResponse r =
        stub.getOnlineFeatures(
            request(
                List.of("user_stats:age"), "user_id", Value.newBuilder().setInt32Val(1).build()));
    assertThat(r.getResults(0).getStatuses(0)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void unknownFeaturesViewsAndWrongEntitiesAreInvalidArguments() {
    assertStatus(
        () -> stub.getOnlineFeatures(request(List.of("user_stats:gift_7d"), "user_id", int64(1))),
        Status.Code.INVALID_ARGUMENT,
        "feature view 'user_stats' has no feature 'gift_7d'");
    assertStatus(
        () -> stub.getOnlineFeatures(request(List.of("rooms:x"), "user_id", int64(1))),
        Status.Code.INVALID_ARGUMENT,
        "unknown feature view 'rooms'");
    assertStatus(
        () -> stub.getOnlineFeatures(request(List.of("age"), "user_id", int64(1))),
        Status.Code.INVALID_ARGUMENT,
        "'age' is not view:feature");
    assertStatus(
        () ->
            stub.getOnlineFeatures(
                request(
                    List.of("user_stats:age"),
                    "user_id",
                    int64(1),
                    Value.newBuilder().setStringVal("seven").build())),
        Status.Code.INVALID_ARGUMENT,
        "entities.user_id[1]: STRING 'seven' does not fit the entity's type INT64");
    assertStatus(
        () -> stub.getOnlineFeatures(request(List.of("user_stats:age"), "room_id", int64(1))),
        Status.Code.INVALID_ARGUMENT,
        "needs join key 'user_id'");
  }

  @Test
  void valuesPastTheTtlAreOutsideMaxAge() {
    GetOnlineFeaturesResponse r =
        stub.getOnlineFeatures(
            request(List.of("user_stats_1h:age", "user_stats:age"), "user_id", int64(1)));
    assertThat(r.getResults(0).getStatuses(0)).isEqualTo(FieldStatus.OUTSIDE_MAX_AGE);
    assertThat(r.getResults(0).getValues(0).getValCase()).isEqualTo(Value.ValCase.INT32_VAL);
    assertThat(r.getResults(1).getStatuses(0)).isEqualTo(FieldStatus.PRESENT);
  }

  @Test
  void aCorruptStoredValueIsCountedAndAnsweredAsInvalid() throws Exception {
    byte[] key = EntityKeys.serialize(List.of("user_id"), List.of(int64(1)));
    try (Connection c =
            DriverManager.getConnection("jdbc:sqlite:" + repo.resolve("online_store.db"));
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE liverec_user_stats SET value = ? WHERE entity_key = ? AND feature_name = 'city'")) {
      ps.setBytes(1, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
      ps.setBytes(2, key);
      assertThat(ps.executeUpdate()).isEqualTo(1);
    }
    GetOnlineFeaturesResponse r =
        stub.getOnlineFeatures(
            request(List.of("user_stats:city", "user_stats:age"), "user_id", int64(1), int64(2)));
    assertThat(r.getResults(0).getStatusesList())
        .containsExactly(FieldStatus.INVALID, FieldStatus.PRESENT);
    assertThat(r.getResults(1).getStatusesList())
        .containsExactly(FieldStatus.PRESENT, FieldStatus.PRESENT);
    assertThat(server.corruptValues()).isEqualTo(1);
  }

  @Test
  void aMissingOrCorruptRegistryIsAFailedPrecondition() throws Exception {
    tearDown();
    Files.delete(repo.resolve("registry.db"));
    start();
    assertStatus(
        () -> stub.getOnlineFeatures(request(List.of("user_stats:age"), "user_id", int64(1))),
        Status.Code.FAILED_PRECONDITION,
        "no Feast registry at");
    tearDown();
    Files.write(repo.resolve("registry.db"), new byte[] {0x0a, (byte) 0xff, 0x01, 0x02});
    start();
    assertStatus(
        () -> stub.getOnlineFeatures(request(List.of("user_stats:age"), "user_id", int64(1))),
        Status.Code.FAILED_PRECONDITION,
        "is corrupt");
  }
}
