package io.cdc2esdb.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadFailuresTest {

  private final AtomicLong now = new AtomicLong();
  private final ThreadFailures failures = new ThreadFailures(3, Duration.ofSeconds(60), now::get);

  @Test
  void shouldReplaceAFailedThreadUntilThreadsKeepFailingWithinTheWindow() {
    for (int i = 0; i < 3; i++) {
      assertThat(failures.failed()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      now.addAndGet(Duration.ofSeconds(6).toNanos());
    }

    assertThat(failures.failed()).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    assertThat(failures.recent()).isEqualTo(4);
  }

  @Test
  void shouldForgetFailuresOlderThanTheWindow() {
    for (int i = 0; i < 10; i++) {
      assertThat(failures.failed()).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
      now.addAndGet(Duration.ofSeconds(31).toNanos());
    }
    assertThat(failures.recent()).isEqualTo(2);
  }
}
