package io.liverec.cli.report;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import org.junit.jupiter.api.Test;

/**
 * The CLI's packages have no import cycles (pipelines' PackageCyclesTest does not see this module),
 * and the report package never reaches up into the commands.
 */
class CliPackagesTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.liverec.cli");

  @Test
  void cliPackagesHaveNoCycles() {
    SlicesRuleDefinition.slices().matching("io.liverec.(**)").should().beFreeOfCycles().check(CLI);
  }

  @Test
  void theReportDoesNotDependOnTheCommands() {
    noClasses()
        .that()
        .resideInAPackage("io.liverec.cli.report..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.liverec.cli")
        .check(CLI);
  }
}
