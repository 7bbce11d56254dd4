package io.cdc2esdb.sink;

import static io.cdc2esdb.sink.EsdbWriterTest.event;
import static io.cdc2esdb.sink.EsdbWriterTest.stream;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The benchmark's measuring stick answers like the real writer. */
class EsdbRawStubWriterTest {

  @Test
  void shouldAppendAndAnswerWrongExpectedVersionLikeTheClient() throws Exception {
    try (EventStoreEmulator emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral());
        EsdbRawStubWriter raw =
            EsdbRawStubWriter.connect(emulator.host(), emulator.port(), Duration.ofSeconds(5));
        EsdbWriter client =
            EsdbWriter.connect(emulator.connectionString(), EsdbWriter.Settings.defaults())) {
      String s = stream();
      AppendRequest first = new AppendRequest(s, AppendRequest.NO_STREAM, List.of(event("A")));
      assertThat(raw.append(first).get(5, TimeUnit.SECONDS)).isEqualTo(new AppendResult.Success(0));
      assertThat(raw.append(new AppendRequest(s, 3, List.of(event("B")))).get(5, TimeUnit.SECONDS))
          .isEqualTo(new AppendResult.WrongExpectedVersion(3, 0));
      assertThat(client.read(s, 0, 10).get())
          .extracting(StoredEvent::id)
          .containsExactly(first.events().get(0).id());
    }
  }
}
