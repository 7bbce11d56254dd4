package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An outage in a few lines, whatever the number of failed calls. */
class OutageLogTest {

  private final AtomicLong clock = new AtomicLong(1_000_000);
  private final List<String> lines = new ArrayList<>();
  private final OutageLog outage =
      new OutageLog(
          "127.0.0.1:2113",
          Duration.ofSeconds(30),
          clock::get,
          new OutageLog.Lines() {
            @Override
            public void warn(String line) {
              lines.add("WARN " + line);
            }

            @Override
            public void info(String line) {
              lines.add("INFO " + line);
            }
          });

  @Test
  void shouldLogAMinuteOfFailedCallsInOneLineTwoSummariesAndOneLineWhenBack() {
    outage.answered();
    // 601 failed calls over a minute: ten a second.
    for (int i = 0; i < 601; i++) {
      outage.failed("UNAVAILABLE");
      clock.addAndGet(100);
    }
    outage.answered();
    outage.answered();

    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).startsWith("WARN EventStoreDB at 127.0.0.1:2113 is unreachable");
    assertThat(lines.get(1)).contains("still unreachable after 30 s: 301 calls failed");
    assertThat(lines.get(2)).contains("still unreachable after 60 s");
    assertThat(lines.get(3))
        .isEqualTo(
            "INFO EventStoreDB at 127.0.0.1:2113 is reachable again after 60 s (601 calls failed"
                + " meanwhile)");
  }

  @Test
  void shouldStartAfreshForTheNextOutage() {
    outage.failed("UNAVAILABLE");
    outage.answered();
    outage.failed("DEADLINE_EXCEEDED");

    assertThat(lines).hasSize(3);
    assertThat(lines.get(2)).contains("is unreachable (DEADLINE_EXCEEDED)");
    assertThat(outage.down()).isTrue();
  }
}
