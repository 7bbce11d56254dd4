package io.cdc2esdb.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.proc.ProcessStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's CI subset, on the built jars as separate processes: kill -9 during load
 * (including a halt right after an acknowledged append, before offsets commit), kill -9 while a
 * transaction is half produced, a 5 s EventStoreDB outage, EventStoreDB frozen for longer than the
 * transaction timeout, and 100 poison records; each ends with verify: nothing lost, nothing twice,
 * in order. Every instance runs with a 5 s transaction timeout, so that an append outlasting it
 * would fence the producer. The full run is {@code cdc2esdb-dev.jar bench faults}
 * (bench/faults.md).
 */
class FaultSuiteIT {

  private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path work;
  private static FaultSuite suite;

  @BeforeAll
  static void start() {
    suite =
        FaultSuite.start(
            work,
            ProcessStack.Jars.in(Path.of("target")),
            System.out,
            Duration.ofSeconds(180),
            Map.of("transaction.timeout.ms", Long.toString(TRANSACTION_TIMEOUT.toMillis())));
    suite.instances(1);
  }

  @AfterAll
  static void stop() {
    if (suite != null) {
      suite.close();
    }
  }

  /** Verify matched: nothing lost, duplicated or reordered (the per-stream suite uses it too). */
  static void assertExactlyOnce(FaultSuite.Row row) {
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

  @Test
  void shouldLoseNothingWhenKilledWhileATransactionIsHalfProduced() throws Exception {
    FaultSuite.Row row = suite.midTransaction(1_500, 200, 150, 2);

    assertExactlyOnce(row);
    assertThat(row.expected()).isEqualTo(1_500);
    assertThat(row.written()).isEqualTo(1_500);
    assertThat(row.faults()).startsWith("2 kill -9 with a transaction half produced");
  }

  @Test
  void shouldNotFenceTheProducerWhenAnAppendOutlastsTheTransactionTimeout() throws Exception {
    Duration frozen = TRANSACTION_TIMEOUT.multipliedBy(2).plusSeconds(2);

    FaultSuite.Row row = suite.freeze("frozen", 3_000, 200, frozen);

    assertExactlyOnce(row);
    assertThat(row.written()).isEqualTo(3_000);
    assertThat(row.lifecycle()).as(row.toString()).isEqualTo(new FaultSuite.Lifecycle(0, 0, 0));
    assertThat(row.resumedSeconds()).as("writing resumed after the freeze").isFinite();
  }
}
