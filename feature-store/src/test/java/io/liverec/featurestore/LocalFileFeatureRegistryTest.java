package io.liverec.featurestore;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.api.v1alpha1.FeatureViewSpec;
import io.liverec.api.v1alpha1.FeatureViewSpec.Field;
import io.liverec.api.v1alpha1.FeatureViewSpec.ValueType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalFileFeatureRegistryTest {
  @TempDir Path dir;

  @Test
  void versionsChangeOnlyWhenTheDefinitionChangesAndSurviveARestart() {
    LocalFileFeatureRegistry registry = new LocalFileFeatureRegistry(dir);
    FeatureViewSpec spec = spec();

    assertThat(registry.register("ns", "user-profile", spec).version()).isEqualTo(1);
    assertThat(registry.register("ns", "user-profile", spec()).version()).isEqualTo(1);

    spec.features.add(new Field("gift_7d", ValueType.DOUBLE));
    assertThat(registry.register("ns", "user-profile", spec).version()).isEqualTo(2);

    LocalFileFeatureRegistry reopened = new LocalFileFeatureRegistry(dir);
    FeatureRegistry.Entry e = reopened.get("ns", "user-profile").orElseThrow();
    assertThat(e.version()).isEqualTo(2);
    assertThat(e.spec().features).extracting(f -> f.name).containsExactly("age", "gift_7d");

    assertThat(reopened.unregister("ns", "user-profile")).isTrue();
    assertThat(new LocalFileFeatureRegistry(dir).list()).isEmpty();
  }

  private static FeatureViewSpec spec() {
    FeatureViewSpec spec = new FeatureViewSpec();
    spec.entities = new java.util.ArrayList<>(List.of(new Field("user_id", ValueType.INT64)));
    spec.features = new java.util.ArrayList<>(List.of(new Field("age", ValueType.INT32)));
    spec.source.uri = "file:///data/user";
    spec.source.timestampField = "event_ts";
    return spec;
  }
}
