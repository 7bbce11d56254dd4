package io.cdc2esdb;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The package rules of the design: a pure core, side effects only at the edges, no package cycles,
 * and production code that never reaches the dev parts (which the production jar leaves out).
 */
@AnalyzeClasses(packages = "io.cdc2esdb", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule envelopeNamingAndTheEventModelArePure =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.cdc2esdb.envelope..",
              "io.cdc2esdb.naming..",
              "io.cdc2esdb.event..",
              "io.cdc2esdb.error..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.apache.kafka..", "com.eventstore..", "io.kurrent..", "io.grpc..");

  @ArchTest
  static final ArchRule noCyclesBetweenPackages =
      slices().matching("io.cdc2esdb.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlySinkAndTheEmulatorUseTheEventStoreClient =
      noClasses()
          .that()
          .resideOutsideOfPackages("io.cdc2esdb.sink..", "io.cdc2esdb.dev.emulator..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("com.eventstore..", "io.kurrent..", "io.kurrentdb..");

  @ArchTest
  static final ArchRule onlyQueryServesHttp =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.cdc2esdb.query..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "com.sun.net.httpserver..", "org.eclipse.jetty..", "jakarta.ws.rs..", "io.javalin..")
          .allowEmptyShould(true);

  @ArchTest
  static final ArchRule productionCodeNeverReachesTheDevParts =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.cdc2esdb.dev..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.cdc2esdb.dev..");

  /** What the production jar leaves out: the broker, Kafka Connect, Debezium, Scala. */
  @ArchTest
  static final ArchRule productionCodeNeedsNoDevLibraries =
      noClasses()
          .that()
          .resideOutsideOfPackage("io.cdc2esdb.dev..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "kafka..",
              "org.apache.kafka.server..",
              "org.apache.kafka.raft..",
              "org.apache.kafka.metadata..",
              "org.apache.kafka.connect..",
              "io.debezium..",
              "scala..",
              "org.mariadb..");

  @ArchTest
  static final ArchRule theEmulatorKnowsNothingOfKafkaStreams =
      noClasses()
          .that()
          .resideInAnyPackage("io.cdc2esdb.dev.emulator..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.apache.kafka.streams..");
}
