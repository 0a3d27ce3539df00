package io.liverec.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.liverec.testenv.TestEnv;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The committed CRDs and samples under manifests/ agree with the generated CRDs. */
class ManifestsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path MANIFESTS = TestEnv.repoRoot().resolve("manifests");

  @Test
  void committedCrdsAreTheGeneratedOnes() throws Exception {
    Path crds = MANIFESTS.resolve("crds");
    TreeSet<String> expected = new TreeSet<>();
    for (Class<? extends HasMetadata> type : CrdSchemas.KINDS) {
      String resource = CrdSchemas.resourceName(type);
      String file = resource.substring(resource.lastIndexOf('/') + 1);
      expected.add(file);
      String generated;
      try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
        generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(crds.resolve(file))
          .as("manifests/crds/%s differs from the generated CRD; rebuild the api module", file)
          .hasContent(generated);
    }
    try (Stream<Path> files = Files.list(crds)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")))
          .as("stale CRD files in manifests/crds")
          .containsExactlyInAnyOrderElementsOf(expected);
    }
    JsonNode kustomization = YAML.readTree(crds.resolve("kustomization.yaml").toFile());
    List<String> listed = new ArrayList<>();
    kustomization.path("resources").forEach(r -> listed.add(r.asText()));
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);

    // The build copies the CRDs; committing them is the author's job. In a git checkout, an
    // uncommitted difference means the committed manifests drifted from the Java types.
    Process git =
        new ProcessBuilder("git", "status", "--porcelain", "--", "manifests/crds")
            .directory(TestEnv.repoRoot().toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (git.waitFor(30, TimeUnit.SECONDS) && git.exitValue() == 0) {
      assertThat(out)
          .as("generated CRDs differ from the committed ones: commit manifests/crds")
          .isBlank();
    }
  }

  @Test
  void everySampleValidatesAgainstTheGeneratedCrds() throws Exception {
    List<Path> samples;
    try (Stream<Path> files = Files.list(MANIFESTS.resolve("samples"))) {
      samples = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    TreeSet<String> kinds = new TreeSet<>();
    for (Path sample : samples) {
      JsonNode cr = YAML.readTree(sample.toFile());
      CustomResourceValidator.Result r = CustomResourceValidator.validate(cr);
      assertThat(r.violations()).as(sample.toString()).isEmpty();
      kinds.add(r.resource().getKind());
      assertThat(CustomResourceValidator.validate(r.resource())).as(sample.toString()).isEmpty();
    }
    assertThat(kinds).containsExactly("FeatureView", "ModelVersion", "TrainingRun");
  }
}
