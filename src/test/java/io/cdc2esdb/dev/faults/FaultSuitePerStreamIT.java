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
 * The EventStoreDB faults of {@link FaultSuiteIT} in per-stream mode, where every append goes over
 * the one long-lived {@code Streams/BatchAppend} call (the default): a 5 s outage (the call breaks,
 * the next append opens a new one) and EventStoreDB frozen (SIGSTOP) past the append deadline (the
 * waiting appends fail as unavailable when their deadline passes, the call is cancelled, and the
 * retries go over a new call). Each ends with verify: nothing lost, nothing twice, in order.
 */
class FaultSuitePerStreamIT {

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
            Map.of(
                "transaction.timeout.ms",
                Long.toString(TRANSACTION_TIMEOUT.toMillis()),
                "esdb.append.mode",
                "per-stream",
                "esdb.deadline.ms",
                "4000"));
    suite.instances(1);
  }

  @AfterAll
  static void stop() {
    if (suite != null) {
      suite.close();
    }
  }

  @Test
  void shouldCatchUpAfterAFiveSecondEventStoreOutage() throws Exception {
    FaultSuite.Row row = suite.outage("outage-per-stream", 2_000, 250, Duration.ofSeconds(5));

    FaultSuiteIT.assertExactlyOnce(row);
    assertThat(row.written()).isEqualTo(2_000);
  }

  @Test
  void shouldResumeOnANewCallWhenEventStoreIsFrozenPastTheAppendDeadline() throws Exception {
    Duration frozen = TRANSACTION_TIMEOUT.multipliedBy(2).plusSeconds(2);

    FaultSuite.Row row = suite.freeze("frozen-per-stream", 3_000, 200, frozen);

    FaultSuiteIT.assertExactlyOnce(row);
    assertThat(row.written()).isEqualTo(3_000);
    assertThat(row.lifecycle()).as(row.toString()).isEqualTo(new FaultSuite.Lifecycle(0, 0, 0));
    assertThat(row.resumedSeconds()).as("writing resumed after the freeze").isFinite();
  }
}
