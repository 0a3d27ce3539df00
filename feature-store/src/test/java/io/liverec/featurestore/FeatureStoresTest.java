package io.liverec.featurestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import feast.proto.types.ValueProto.Value;
import io.liverec.api.errors.LiverecException;
import io.liverec.featurestore.client.InProcessOnlineFeatures;
import io.liverec.featurestore.client.OnlineFeatures;
import io.liverec.featurestore.config.FeatureStores;
import io.liverec.featurestore.feast.FeastFeatureRegistry;
import io.liverec.featurestore.online.EntityKeys;
import io.liverec.featurestore.online.RedisOnlineStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Unit tests of the byte formats against Feast's published examples, and of the selectors. */
class FeatureStoresTest {
  @TempDir Path dir;

  @Test
  void entityKeyV3AndRedisFieldHashAreFeastsBytes() {
    byte[] key =
        EntityKeys.serialize(
            List.of("user_id"), List.of(Value.newBuilder().setInt64Val(7).build()));
    assertThat(HexFormat.of().formatHex(key))
        .isEqualTo(
            "01000000"
                + "02000000"
                + "07000000"
                + "757365725f6964"
                + "04000000"
                + "08000000"
                + "0700000000000000");
    assertThat(HexFormat.of().formatHex(RedisOnlineStore.field("user_stats", "score")))
        .isEqualTo("6dba3cab");
    // join keys are sorted by name; the value type is part of the key
    byte[] ab =
        EntityKeys.serialize(
            List.of("b", "a"),
            List.of(
                Value.newBuilder().setStringVal("x").build(),
                Value.newBuilder().setInt32Val(1).build()));
    assertThat(HexFormat.of().formatHex(ab))
        .isEqualTo(
            "02000000"
                + "02000000"
                + "01000000"
                + "61"
                + "02000000"
                + "01000000"
                + "62"
                + "03000000"
                + "04000000"
                + "01000000"
                + "02000000"
                + "01000000"
                + "78");
  }

  @Test
  void theRegistryIsChosenByConfiguration() {
    assertThat(FeatureStores.registry(Map.of(), Optional.empty()))
        .isInstanceOf(InMemoryFeatureRegistry.class);
    assertThat(FeatureStores.registry(Map.of(), Optional.of(dir)))
        .isInstanceOf(LocalFileFeatureRegistry.class);
    FeatureRegistry feast =
        FeatureStores.registry(
            Map.of(FeatureStores.ENV_REGISTRY, "feast"), Optional.of(dir.resolve("feast")));
    assertThat(feast).isInstanceOf(FeastFeatureRegistry.class);
    assertThat(Files.exists(dir.resolve("feast/feature_store.yaml"))).isTrue();
    assertThatThrownBy(
            () ->
                FeatureStores.registry(
                    Map.of(FeatureStores.ENV_REGISTRY, "etcd"), Optional.of(dir)))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("expected memory, file or feast");
  }

  @Test
  void inProcessOnlineFeaturesAnswerLikeTheServer() {
    Instant t = Instant.parse("2026-01-01T00:00:00Z");
    try (OnlineFeatures f =
        new InProcessOnlineFeatures()
            .put(
                "user_stats",
                Map.of("user_id", 1L),
                java.util.Collections.singletonMap("score", null),
                t)
            .put("user_stats", Map.of("user_id", 2L), Map.of("score", 0.5), t)) {
      var rows =
          f.get(
              List.of("user_stats:score"),
              List.of(Map.of("user_id", 1L), Map.of("user_id", 2L), Map.of("user_id", 3L)));
      assertThat(rows)
          .extracting(r -> r.get("user_stats:score").status())
          .containsExactly(
              OnlineFeatures.Status.NULL_VALUE,
              OnlineFeatures.Status.PRESENT,
              OnlineFeatures.Status.NOT_FOUND);
      assertThat(rows.get(1).get("user_stats:score").value()).isEqualTo(0.5);
    }
  }

  @Test
  void theConfiguredRegistryIsTheOneTheEnvironmentNames() {
    assertThat(FeatureStores.configured(Map.of())).isEmpty();
    assertThat(
            FeatureStores.configured(
                Map.of(
                    FeatureStores.ENV_REGISTRY,
                    "file",
                    FeatureStores.ENV_REGISTRY_DIR,
                    dir.resolve("reg").toString())))
        .get()
        .isInstanceOf(LocalFileFeatureRegistry.class);
    assertThat(
            FeatureStores.configured(
                Map.of(
                    io.liverec.featurestore.feast.FeastRepo.ENV_DIR,
                    dir.resolve("feast").toString())))
        .get()
        .isInstanceOf(FeastFeatureRegistry.class);
    assertThatThrownBy(() -> FeatureStores.configured(Map.of(FeatureStores.ENV_REGISTRY, "file")))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining(FeatureStores.ENV_REGISTRY);
  }
}
