package io.liverec.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.liverec.testenv.TestEnv;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The champion alias follows promotions and rollbacks, in the real MLflow model registry. */
class MlflowRegistryAliasesIT {
  MlflowGateway mlflow;
  MlflowRegistryAliases aliases;
  String model;

  @BeforeEach
  void setUp() {
    mlflow = new MlflowGateway(TestEnv.mlflowUri(), Retry.DEFAULT);
    aliases = new MlflowRegistryAliases(mlflow);
    model = "it-aliases-" + UUID.randomUUID();
    String experiment = mlflow.ensureExperiment("it-aliases");
    mlflow.ensureRegisteredModel(model);
    for (int i = 0; i < 3; i++) {
      var run = mlflow.createRun(experiment, "r" + i, System.currentTimeMillis(), Map.of());
      mlflow.createModelVersion(model, run.getArtifactUri() + "/model", run.getRunId(), Map.of());
    }
  }

  private Optional<String> champion() {
    return mlflow.versionByAlias(model, "champion").map(MlflowGateway.VersionInfo::version);
  }

  @Test
  void promotionsMoveTheChampionAndRememberThePrevious() {
    aliases.promoted(model, 1);
    assertThat(champion()).contains("1");
    aliases.promoted(model, 2);
    assertThat(champion()).contains("2");
    assertThat(mlflow.modelTags(model)).containsEntry("liverec.previous.champion", "1");
    aliases.promoted(model, 2); // idempotent
    assertThat(mlflow.modelTags(model)).containsEntry("liverec.previous.champion", "1");
  }

  @Test
  void rollbackRestoresTheStableVersionOrThePreviousChampion() {
    aliases.promoted(model, 1);
    aliases.promoted(model, 2); // CI promoted v2 before its rollout
    aliases.rolledBack(model, 2, 1);
    assertThat(champion()).contains("1");

    aliases.promoted(model, 3);
    aliases.rolledBack(model, 3, null); // no stable version known: the recorded previous one
    assertThat(champion()).contains("1");
  }

  @Test
  void rollbackOfAVersionThatNeverBecameChampionChangesNothing() {
    aliases.promoted(model, 1);
    aliases.rolledBack(model, 3, 2);
    assertThat(champion()).contains("1");
  }

  @Test
  void rollbackOfTheOnlyChampionRemovesTheAlias() {
    aliases.promoted(model, 1);
    aliases.rolledBack(model, 1, null);
    assertThat(champion()).isEmpty();
  }
}
