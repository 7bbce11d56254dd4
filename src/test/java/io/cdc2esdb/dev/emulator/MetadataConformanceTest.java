package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Metastreams and the metadata that changes reads: {@code $maxCount}, {@code $maxAge}, {@code $tb}.
 */
class MetadataConformanceTest {

  private static final MutableClock clock = new MutableClock();
  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture(EmulatorOptions.ephemeral().withClock(clock));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void shouldReturnTheLatestMetadata() throws Exception {
    String s = stream("meta");
    fx.client.setStreamMetadata(s, metadata(m -> m.setMaxCount(10L))).get();
    fx.client.setStreamMetadata(s, metadata(m -> m.setMaxCount(20L))).get();
    assertThat(fx.client.getStreamMetadata(s).get().getMaxCount()).isEqualTo(20L);
  }

  @Test
  void shouldKeepCustomMetadataProperties() throws Exception {
    String s = stream("meta");
    fx.client
        .setStreamMetadata(s, metadata(m -> m.setCustomProperties(Map.of("owner", "crm"))))
        .get();
    assertThat(fx.client.getStreamMetadata(s).get().getCustomProperties())
        .containsEntry("owner", "crm");
  }

  @Test
  void shouldShowOnlyTheLatestEventOfAMetastream() throws Exception {
    String s = stream("meta");
    fx.client.setStreamMetadata(s, metadata(m -> m.setMaxCount(10L))).get();
    fx.client.setStreamMetadata(s, metadata(m -> m.setMaxCount(20L))).get();
    List<RecordedEvent> read = fx.read("$$" + s);
    assertThat(read).extracting(RecordedEvent::getRevision).containsExactly(1L);
    assertThat(read.get(0).getEventType()).isEqualTo("$metadata");
  }

  @Test
  void shouldHonourMaxCountOnStreamReadsButNotOnAll() throws Exception {
    String s = stream("meta");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"));
    fx.client.setStreamMetadata(s, metadata(m -> m.setMaxCount(2L))).get();
    assertThat(fx.read(s)).extracting(RecordedEvent::getRevision).containsExactly(1L, 2L);
    assertThat(fx.readAll())
        .filteredOn(e -> e.getOriginalEvent().getStreamId().equals(s))
        .hasSize(3);
  }

  @Test
  void shouldHonourTruncateBeforeOnStreamReads() throws Exception {
    String s = stream("meta");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"));
    fx.client.setStreamMetadata(s, metadata(m -> m.setTruncateBefore(2L))).get();
    assertThat(fx.read(s)).extracting(RecordedEvent::getRevision).containsExactly(2L);
    var backwards =
        fx.client.readStream(s, ReadStreamOptions.get().backwards().fromEnd()).get().getEvents();
    assertThat(backwards).extracting(e -> e.getOriginalEvent().getRevision()).containsExactly(2L);
  }

  @Test
  void shouldHonourMaxAgeOnStreamReads() throws Exception {
    String s = stream("meta");
    fx.append(s, ExpectedRevision.noStream(), event("Old"));
    clock.advance(Duration.ofSeconds(120));
    fx.append(s, ExpectedRevision.expectedRevision(0), event("New"));
    fx.client.setStreamMetadata(s, metadata(m -> m.setMaxAge(60L))).get();
    assertThat(fx.read(s)).extracting(RecordedEvent::getEventType).containsExactly("New");
    clock.advance(Duration.ofSeconds(120));
    var read = fx.client.readStream(s, ReadStreamOptions.get()).get();
    assertThat(read.getEvents()).isEmpty();
    assertThat(read.getLastStreamPosition()).isEqualTo(1);
  }

  @Test
  void shouldReadMetadataOfAStreamWithoutAnyAsEmpty() throws Exception {
    StreamMetadata none = fx.client.getStreamMetadata(stream("meta")).get();
    assertThat(none.getMaxCount()).isNull();
    assertThat(none.getTruncateBefore()).isNull();
  }

  @Test
  void shouldRecreateASoftDeletedStreamWhenItsMetadataIsWritten() throws Exception {
    String s = stream("meta");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    fx.client.deleteStream(s).get();
    fx.client.setStreamMetadata(s, metadata(m -> m.setMaxCount(5L))).get();
    StreamMetadata after = fx.client.getStreamMetadata(s).get();
    assertThat(after.getTruncateBefore()).isEqualTo(2L);
    assertThat(after.getMaxCount()).isEqualTo(5L);
    List<ResolvedEvent> read = fx.client.readStream(s, ReadStreamOptions.get()).get().getEvents();
    assertThat(read).isEmpty();
  }

  private static StreamMetadata metadata(java.util.function.Consumer<StreamMetadata> set) {
    StreamMetadata metadata = new StreamMetadata();
    set.accept(metadata);
    return metadata;
  }
}
