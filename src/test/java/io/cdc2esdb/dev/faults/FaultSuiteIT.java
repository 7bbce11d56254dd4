package io.cdc2esdb.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.proc.ProcessStack;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's CI subset, on the built jars as separate processes: kill -9 during load
 * (including a halt right after an acknowledged append, before offsets commit), a 5 s EventStoreDB
 * outage, and 100 poison records; each ends with verify: nothing lost, nothing twice, in order. The
 * full run is {@code cdc2esdb-dev.jar bench faults} (bench/faults.md).
 */
class FaultSuiteIT {

  @TempDir static Path work;
  private static FaultSuite suite;

  @BeforeAll
  static void start() {
    suite =
        FaultSuite.start(
            work, ProcessStack.Jars.in(Path.of("target")), System.out, Duration.ofSeconds(180));
    suite.instances(1);
  }

  @AfterAll
  static void stop() {
    if (suite != null) {
      suite.close();
    }
  }

  private static void assertExactlyOnce(FaultSuite.Row row) {
    assertThat(row.verified()).as(row.toString()).isTrue();
    assertThat(row.lost()).as(row.toString()).isZero();
    assertThat(row.duplicated()).as(row.toString()).isZero();
    assertThat(row.reordered()).as(row.toString()).isZero();
  }

  @Test
  void shouldLoseNothingWhenKilledIncludingRightAfterAnAcknowledgedAppend() throws Exception {
    FaultSuite.Row row = suite.kills("kills", 3_000, 300, 3, 3);

    assertExactlyOnce(row);
    assertThat(row.expected()).isEqualTo(3_000);
    assertThat(row.written()).isEqualTo(3_000);
    assertThat(row.faults()).contains("1 halts right after an acknowledged append");
  }

  @Test
  void shouldCatchUpAfterAFiveSecondEventStoreOutage() throws Exception {
    FaultSuite.Row row = suite.outage("outage", 2_000, 250, Duration.ofSeconds(5));

    assertExactlyOnce(row);
    assertThat(row.written()).isEqualTo(2_000);
  }

  @Test
  void shouldDeadLetterExactlyTheHundredPoisonRecordsWithTheirCodes() throws Exception {
    FaultSuite.Row row = suite.poison("poison", 2_000, 100, 500);

    assertExactlyOnce(row);
    assertThat(row.written()).isEqualTo(2_000);
    assertThat(row.deadLetters()).isEqualTo(100);
    assertThat(row.deadLetterCodes())
        .contains(
            "malformed-json 17",
            "not-an-object 17",
            "missing-field 17",
            "unknown-op 17",
            "key-not-an-object 16",
            "missing-key 16");
  }
}
