package io.liverec.featurestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.api.errors.LiverecException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FeatureView files: a relative source resolves against the file's directory. */
class FeatureViewFilesTest {
  @TempDir Path dir;

  private Path write(String name, String uri) throws Exception {
    Path f = dir.resolve("bundle").resolve(name + ".yaml");
    Files.createDirectories(f.getParent());
    Files.writeString(
        f,
        """
        apiVersion: liverec.io/v1alpha1
        kind: FeatureView
        metadata: {name: %s}
        spec:
          entities: [{name: user_id, type: INT64}]
          features: [{name: clicks, type: INT64}]
          source: {uri: "%s", timestampField: event_timestamp}
          ttl: 1h
        """
            .formatted(name, uri));
    return f;
  }

  @Test
  void aRelativeSourceResolvesAgainstTheFilesDirectory() throws Exception {
    Path f = write("rel", "tables/clicks.parquet");
    assertThat(FeatureViewFiles.read(f, "x").getSpec().source.uri)
        .isEqualTo(dir.resolve("bundle/tables/clicks.parquet").toString());
    Path g = write("abs", "s3://bucket/clicks");
    assertThat(FeatureViewFiles.read(g, "x").getSpec().source.uri).isEqualTo("s3://bucket/clicks");
    assertThat(FeatureViewFiles.readAll(dir.resolve("bundle")))
        .extracting(v -> v.getMetadata().getName())
        .containsExactly("abs", "rel");
  }

  @Test
  void anInvalidFileIsBadInputNamingTheReferenceAndField() throws Exception {
    Path f = write("Bad_Name", "x.parquet");
    assertThatThrownBy(() -> FeatureViewFiles.read(f, "spec.data.featureViews[0]"))
        .isInstanceOf(LiverecException.class)
        .hasMessageContaining("spec.data.featureViews[0]")
        .hasMessageContaining("metadata.name");
  }
}
