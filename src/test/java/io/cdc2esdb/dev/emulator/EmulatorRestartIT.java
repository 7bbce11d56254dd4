package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.StreamMetadata;
import com.eventstore.dbclient.WriteResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An emulator with a data directory keeps its streams across a restart, as a server does. */
class EmulatorRestartIT {

  @TempDir Path dataDir;

  @Test
  void shouldKeepEventsPositionsMetadataAndTombstonesAcrossARestart() throws Exception {
    EmulatorOptions options = EmulatorOptions.ephemeral().withDataDir(dataDir);
    String s = stream("restart");
    String gone = stream("restart");
    List<RecordedEvent> before;
    WriteResult last;
    try (EmulatorFixture fx = new EmulatorFixture(options)) {
      fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
      StreamMetadata metadata = new StreamMetadata();
      metadata.setMaxCount(100L);
      fx.client.setStreamMetadata(s, metadata).get();
      fx.append(gone, ExpectedRevision.noStream(), event("X"));
      fx.client.tombstoneStream(gone).get();
      last = fx.append(s, ExpectedRevision.expectedRevision(1), event("C"));
      before = fx.read(s);
    }
    try (EmulatorFixture fx = new EmulatorFixture(options)) {
      List<RecordedEvent> after = fx.read(s);
      assertThat(after)
          .extracting(RecordedEvent::getEventId)
          .containsExactlyElementsOf(before.stream().map(RecordedEvent::getEventId).toList());
      assertThat(after)
          .extracting(RecordedEvent::getPosition)
          .containsExactlyElementsOf(before.stream().map(RecordedEvent::getPosition).toList());
      assertThat(after.get(2).getPosition()).isEqualTo(last.getLogPosition());
      assertThat(fx.client.getStreamMetadata(s).get().getMaxCount()).isEqualTo(100L);
      assertThat(fx.appendFailure(gone, ExpectedRevision.any(), event("Y")))
          .isInstanceOf(com.eventstore.dbclient.StreamDeletedException.class);
      WriteResult next = fx.append(s, ExpectedRevision.expectedRevision(2), event("D"));
      assertThat(next.getLogPosition().getCommitUnsigned())
          .isGreaterThan(last.getLogPosition().getCommitUnsigned());
      assertThat(fx.read("$ce-restart")).hasSizeGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void shouldKeepPositionalIdempotencyButNotTheAnyIdCacheAcrossARestart() throws Exception {
    EmulatorOptions options = EmulatorOptions.ephemeral().withDataDir(dataDir);
    String exact = stream("restart");
    String any = stream("restart");
    EventData a = event("A");
    EventData b = event("B");
    try (EmulatorFixture fx = new EmulatorFixture(options)) {
      fx.append(exact, ExpectedRevision.noStream(), a);
      fx.append(any, ExpectedRevision.any(), b);
    }
    try (EmulatorFixture fx = new EmulatorFixture(options)) {
      fx.append(exact, ExpectedRevision.noStream(), a);
      fx.append(any, ExpectedRevision.any(), b);
      assertThat(fx.read(exact)).hasSize(1);
      assertThat(fx.client.readStream(any, ReadStreamOptions.get()).get().getEvents())
          .as("a real server writes an id again once its cache has forgotten it")
          .hasSize(2);
    }
  }
}
