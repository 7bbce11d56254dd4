package io.cdc2esdb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The package rules of the design: a pure core, and side effects only at the edges. */
@AnalyzeClasses(packages = "io.cdc2esdb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule envelopeAndNamingArePure =
      noClasses()
          .that()
          .resideInAnyPackage("io.cdc2esdb.envelope..", "io.cdc2esdb.naming..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.kafka..", "com.eventstore..", "io.grpc..");

  @ArchTest
  static final ArchRule onlySinkAndTheEmulatorUseTheEventStoreClient =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.cdc2esdb.sink..", "io.cdc2esdb.dev.emulator..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.eventstore..");

  @ArchTest
  static final ArchRule onlyQueryServesHttp =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.cdc2esdb.query..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.sun.net.httpserver..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule onlyTheAppUsesTheDevParts =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.cdc2esdb.app..", "io.cdc2esdb.dev..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.cdc2esdb.dev..");

  @ArchTest
  static final ArchRule theEmulatorKnowsNothingOfKafkaStreams =
      noClasses()
          .that()
          .resideInAnyPackage("io.cdc2esdb.dev.emulator..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.kafka.streams..")
          .allowEmptyShould(true);
}
