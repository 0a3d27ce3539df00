package io.liverec.featurestore.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.liverec.api.errors.LiverecException;
import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import io.liverec.featurestore.FeastPython;
import io.liverec.featurestore.FeatureRegistry;
import io.liverec.featurestore.UserStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry LiveRec writes, read by the real Feast CLI and Python SDK. */
class FeastRegistryIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  UserStats data;
  FeastFeatureRegistry registry;
  Path repo;

  @BeforeEach
  void setUp() throws Exception {
    data = new UserStats(dir.resolve("user_stats.parquet"), 30, 3);
    repo = dir.resolve("repo");
    registry =
        new FeastFeatureRegistry(
            new FeastRepo(repo, "liverec", OnlineStoreConfig.parse("sqlite", repo)));
  }

  private JsonNode feastViews() throws Exception {
    return JSON.readTree(FeastPython.tool("list", repo.toString()));
  }

  @Test
  void feastCliAndFeatureStoreListTheViewsLiveRecRegistered() throws Exception {
    registry.register("liverec", "user_stats", data.spec("2d"));
    FeatureViewSpec profile = data.spec("24h");
    profile.features = new ArrayList<>(List.of(new Field("age", ValueType.INT32)));
    registry.register("liverec", "user-profile", profile);

    String cli = FeastPython.cli(repo, "feature-views", "list");
    assertThat(cli).contains("user_stats").contains("user-profile");

    JsonNode views = feastViews();
    assertThat(views).hasSize(2);
    JsonNode stats = views.get(1);
    assertThat(stats.get("name").asText()).isEqualTo("user_stats");
    assertThat(stats.get("entities").toString()).isEqualTo("[\"user_id\"]");
    assertThat(stats.get("entity_columns").toString()).isEqualTo("[[\"user_id\",\"Int64\"]]");
    assertThat(stats.get("features").toString())
        .isEqualTo(
            "[[\"age\",\"Int32\"],[\"score\",\"Float64\"],[\"ratio\",\"Float32\"],"
                + "[\"city\",\"String\"],[\"vip\",\"Bool\"],[\"recent\",\"Array(Int64)\"]]");
    assertThat(stats.get("ttl_seconds").asLong()).isEqualTo(2 * 86_400);
    assertThat(stats.get("online").asBoolean()).isTrue();
    assertThat(stats.get("source_path").asText()).isEqualTo(data.file.toAbsolutePath().toString());
    assertThat(stats.get("timestamp_field").asText()).isEqualTo("event_ts");
    assertThat(stats.get("created_timestamp_column").asText()).isEqualTo("created_ts");
    assertThat(stats.get("tags").get("team").asText()).isEqualTo("ranking");
    assertThat(stats.get("tags").get(FeatureViewProtos.TAG_VERSION).asText()).isEqualTo("1");
    assertThat(views.get(0).get("name").asText()).isEqualTo("user-profile");

    // and LiveRec reads back what it wrote
    FeatureRegistry.Entry e = registry.get("liverec", "user_stats").orElseThrow();
    assertThat(e.version()).isEqualTo(1);
    assertThat(e.spec().ttl).isEqualTo("2d");
    assertThat(e.spec().features)
        .extracting(f -> f.name)
        .containsExactly("age", "score", "ratio", "city", "vip", "recent");
    assertThat(registry.list()).hasSize(2);
  }

  @Test
  void reRegistrationBumpsTheVersionAndKeepsFeastsMaterializationIntervals() throws Exception {
    FeatureViewSpec spec = data.spec("2d");
    registry.register("liverec", "user_stats", spec);
    long mtime = Files.getLastModifiedTime(repo.resolve("registry.db")).toMillis();
    Thread.sleep(20);
    assertThat(registry.register("liverec", "user_stats", data.spec("2d")).version()).isEqualTo(1);
    assertThat(Files.getLastModifiedTime(repo.resolve("registry.db")).toMillis())
        .as("an unchanged definition does not rewrite the registry")
        .isEqualTo(mtime);

    // Feast itself materializes and records the interval in the registry
    FeastPython.tool(
        "materialize", repo.toString(), "2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z");
    assertThat(feastViews().get(0).get("intervals").toString())
        .isEqualTo("[[\"2026-01-01T00:00:00+00:00\",\"2026-01-02T00:00:00+00:00\"]]");

    spec.features.remove(5);
    FeatureRegistry.Entry e = registry.register("liverec", "user_stats", spec);
    assertThat(e.version()).isEqualTo(2);
    JsonNode v = feastViews().get(0);
    assertThat(v.get("features")).hasSize(5);
    assertThat(v.get("tags").get(FeatureViewProtos.TAG_VERSION).asText()).isEqualTo("2");
    assertThat(v.get("intervals").toString())
        .as("the interval Feast recorded survives the rewrite")
        .isEqualTo("[[\"2026-01-01T00:00:00+00:00\",\"2026-01-02T00:00:00+00:00\"]]");
  }

  @Test
  void aSourceWithoutADeclaredColumnIsRejectedWithTheFieldPath() {
    FeatureViewSpec spec = data.spec("2d");
    spec.features.add(new Field("gift_7d", ValueType.DOUBLE));
    assertThatThrownBy(() -> registry.register("liverec", "user_stats", spec))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.features[6].name: column 'gift_7d' is not in the source");
    assertThat(registry.list()).isEmpty();
  }

  @Test
  void anotherNamespaceCannotTakeAFeastName() {
    registry.register("team-a", "user_stats", data.spec("2d"));
    assertThatThrownBy(() -> registry.register("team-b", "user_stats", data.spec("1d")))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("already registered")
        .hasMessageContaining("team-a");
  }
}
