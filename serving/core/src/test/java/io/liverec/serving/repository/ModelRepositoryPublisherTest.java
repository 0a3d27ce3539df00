package io.liverec.serving.repository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.liverec.serving.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelRepositoryPublisherTest {
  @TempDir Path dir;
  private static final ServingOptions ORT = ServingOptions.cpu(ServingOptions.Backend.ONNXRUNTIME);

  @Test
  void writesTritonsLayoutWithThePythonVariantAndExtraFiles() throws Exception {
    Path repo = dir.resolve("repo");
    ModelRepositoryPublisher p = new ModelRepositoryPublisher(repo);
    Path transform = Files.writeString(dir.resolve("transform.json"), "{}");
    Path onnx = TinyModels.ranker(dir.resolve("r.onnx"), TinyModels.rankerWeights(1));
    var published =
        p.publish(
            "ranker",
            1,
            onnx,
            Map.of("transform.json", transform),
            ServingOptions.cpu(ServingOptions.Backend.PYTHON));
    assertThat(published.versionDir()).isEqualTo(repo.resolve("ranker/1"));
    assertThat(repo.resolve("ranker/1/model.onnx")).hasSameBinaryContentAs(onnx);
    assertThat(repo.resolve("ranker/1/transform.json")).hasContent("{}");
    assertThat(Files.readString(repo.resolve("ranker/1/model.py")))
        .contains("class TritonPythonModel")
        .contains("onnxruntime");
    assertThat(TritonModelConfig.read(repo.resolve("ranker")).orElseThrow().getBackend())
        .isEqualTo("python");
    try (var s = Files.list(repo.resolve("ranker"))) {
      assertThat(s.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder("1", "config.pbtxt");
    }
    assertThat(p.versions("ranker")).containsExactly(1);
  }

  @Test
  void versionsAreImmutableAndMustServeTheModelsTensors() {
    ModelRepositoryPublisher p = new ModelRepositoryPublisher(dir.resolve("repo"));
    Path r1 = TinyModels.ranker(dir.resolve("r1.onnx"), TinyModels.rankerWeights(1));
    p.publish("ranker", 1, r1, Map.of(), ORT);
    assertThatThrownBy(() -> p.publish("ranker", 1, r1, Map.of(), ORT))
        .hasMessageContaining("version: ranker/1 is already published");
    Path tower = TinyModels.userTower(dir.resolve("t.onnx"), TinyModels.towerWeights(1));
    assertThatThrownBy(() -> p.publish("ranker", 2, tower, Map.of(), ORT))
        .hasMessageContaining("serves other tensors")
        .hasMessageContaining("inputs");
    assertThat(p.versions("ranker")).containsExactly(1);
    p.publish(
        "ranker",
        2,
        TinyModels.ranker(dir.resolve("r2.onnx"), TinyModels.rankerWeights(2)),
        Map.of(),
        ORT);
    assertThat(p.versions("ranker")).containsExactly(1, 2);
    p.remove("ranker", 1);
    p.remove("ranker", 1);
    assertThat(p.versions("ranker")).containsExactly(2);
  }

  @Test
  void badInputIsNamed() throws Exception {
    ModelRepositoryPublisher p = new ModelRepositoryPublisher(dir.resolve("repo"));
    Path onnx = TinyModels.ranker(dir.resolve("r.onnx"), TinyModels.rankerWeights(1));
    assertThatThrownBy(() -> p.publish("../x", 1, onnx, Map.of(), ORT))
        .hasMessageStartingWith("model:");
    assertThatThrownBy(() -> p.publish("m", 0, onnx, Map.of(), ORT))
        .hasMessageStartingWith("version:");
    assertThatThrownBy(() -> p.publish("m", 1, dir.resolve("none.onnx"), Map.of(), ORT))
        .hasMessageContaining("does not exist");
    Path junk = Files.write(dir.resolve("junk.onnx"), new byte[] {1, 2, 3});
    assertThatThrownBy(() -> p.publish("m", 1, junk, Map.of(), ORT))
        .hasMessageContaining("cannot be read");
    assertThatThrownBy(() -> p.publish("m", 1, onnx, Map.of("../t", onnx), ORT))
        .hasMessageStartingWith("extraFiles:");
    assertThat(p.versions("m")).isEmpty();
  }

  @Test
  void aVersionIsNeverVisibleHalfWritten() throws Exception {
    Path repo = dir.resolve("repo");
    ModelRepositoryPublisher p = new ModelRepositoryPublisher(repo);
    Path onnx = TinyModels.ranker(dir.resolve("r.onnx"), TinyModels.rankerWeights(1));
    byte[] big = new byte[64 << 20];
    new java.util.Random(1).nextBytes(big);
    Path blob = Files.write(dir.resolve("blob.bin"), big);
    Path version = repo.resolve("ranker/1");
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger sawComplete = new AtomicInteger();
    AtomicInteger sawPartial = new AtomicInteger();
    Thread watcher =
        new Thread(
            () -> {
              while (!done.get()) {
                if (Files.isDirectory(version)) {
                  try {
                    boolean complete =
                        Files.size(version.resolve("blob.bin")) == big.length
                            && Files.size(version.resolve("model.onnx")) == Files.size(onnx);
                    (complete ? sawComplete : sawPartial).incrementAndGet();
                  } catch (java.io.IOException e) {
                    sawPartial.incrementAndGet();
                  }
                }
              }
            });
    watcher.start();
    p.publish("ranker", 1, onnx, Map.of("blob.bin", blob), ORT);
    Thread.sleep(20);
    done.set(true);
    watcher.join();
    assertThat(sawPartial.get()).isZero();
    assertThat(sawComplete.get()).isPositive();
  }

  @Test
  void aCrashedPublishLeavesOnlyAStagingDirectoryThatTheNextPublishClears() throws Exception {
    Path repo = dir.resolve("repo");
    Files.createDirectories(repo.resolve("ranker/.staging-1-crashed"));
    Files.writeString(repo.resolve("ranker/.staging-1-crashed/model.onnx"), "half");
    ModelRepositoryPublisher p = new ModelRepositoryPublisher(repo);
    assertThat(p.versions("ranker")).isEmpty();
    p.publish(
        "ranker",
        1,
        TinyModels.ranker(dir.resolve("r.onnx"), TinyModels.rankerWeights(1)),
        Map.of(),
        ORT);
    assertThat(repo.resolve("ranker/.staging-1-crashed")).doesNotExist();
    assertThat(p.versions("ranker")).containsExactly(1);
  }
}
