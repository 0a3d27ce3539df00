package io.liverec.pipelines.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * No import cycles between the packages under {@code io.liverec} (production classes of this module
 * and of the modules it depends on: api, registry, feature-store). Every package is its own slice,
 * so {@code ranking} ↔ {@code export} or {@code train} ↔ {@code tracking} would fail the build.
 *
 * <p>The layer packages ({@code ranking.layers}, {@code ranking.multitask}) see only their own
 * settings records, never {@code ranking.RankerConfig}: a layer reaching back up fails here.
 */
class PackageCyclesTest {

  static ArchRule noCycles() {
    return SlicesRuleDefinition.slices().matching("io.liverec.(**)").should().beFreeOfCycles();
  }

  @Test
  void productionPackagesHaveNoCycles() {
    JavaClasses classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.liverec");
    noCycles().check(classes);
  }

  @Test
  void aPlantedCycleFailsTheSameRule() {
    JavaClasses fixture = new ClassFileImporter().importPackages("io.liverec.archfixture");
    assertThatThrownBy(() -> noCycles().check(fixture))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("io.liverec.archfixture.a.Alpha")
        .hasMessageContaining("io.liverec.archfixture.b.Beta");
  }

  @Test
  void theNeuralNetworkFrameworkKnowsNoModel() {
    noClasses()
        .that()
        .resideInAPackage("io.liverec.pipelines.nn")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.liverec.pipelines.ranking..", "io.liverec.pipelines.recall..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.liverec.pipelines"));
  }

  @Test
  void theTrainingPipelineDoesNotDependOnTheTasks() {
    // Trainers finds the task trainers through META-INF/services, never by import
    noClasses()
        .that()
        .resideInAPackage("io.liverec.pipelines.pipeline")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.liverec.pipelines.train..", "io.liverec.pipelines.recall..")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.liverec.pipelines"));
  }
}
