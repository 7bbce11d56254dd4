package io.cdc2esdb.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendResult;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.InMemoryEventStore;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class CdcMetricsTest {

  @Test
  void shouldTimeEveryAppendByOutcome() {
    try (CdcMetrics metrics = new CdcMetrics()) {
      EventStoreWriter writer = metrics.timed(new InMemoryEventStore());
      writer.append(new AppendRequest("s-1", AppendRequest.NO_STREAM, List.of(event()))).join();
      AppendResult wrong =
          writer.append(new AppendRequest("s-1", AppendRequest.NO_STREAM, List.of(event()))).join();
      assertThat(wrong).isInstanceOf(AppendResult.WrongExpectedVersion.class);

      String text = metrics.scrape();
      assertThat(text)
          .contains("cdc2esdb_append_seconds_count{outcome=\"success\"} 1")
          .contains("cdc2esdb_append_seconds_count{outcome=\"wrong-expected-version\"} 1")
          .contains("cdc2esdb_append_seconds_bucket{");
    }
  }

  @Test
  void shouldShowThePendingBacklogPerTaskAndForgetTasksThatLeft() {
    try (CdcMetrics metrics = new CdcMetrics()) {
      metrics.updatePending(
          List.of(
              new CdcMetrics.TaskBacklog("1_0", 3, 2.5), new CdcMetrics.TaskBacklog("1_1", 0, 0)));
      assertThat(metrics.scrape())
          .contains("cdc2esdb_pending_events{task_id=\"1_0\"} 3")
          .contains("cdc2esdb_pending_oldest_age_seconds{task_id=\"1_0\"} 2.5");
      metrics.updatePending(List.of(new CdcMetrics.TaskBacklog("1_1", 1, 0)));
      assertThat(metrics.scrape())
          .doesNotContain("task_id=\"1_0\"")
          .contains("cdc2esdb_pending_events{task_id=\"1_1\"} 1");
    }
  }

  @Test
  void shouldNameAnyResultTypeAsAnOutcomeTag() {
    assertThat(TimedEventStoreWriter.outcome(new AppendResult.StreamDeleted("s")))
        .isEqualTo("stream-deleted");
    assertThat(TimedEventStoreWriter.outcome(new AppendResult.Success(0))).isEqualTo("success");
  }

  private static ProposedEvent event() {
    return new ProposedEvent(UUID.randomUUID(), "T", new byte[] {'{', '}'}, new byte[0]);
  }
}
