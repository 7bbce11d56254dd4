package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.processing.JsonSerde;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The high-water mark survives the {@code stream-positions} store: a snapshot row's mark must read
 * back as a snapshot, or a change at the same binlog position after it would be taken as already
 * handled and skipped.
 */
class StreamPositionSerdeTest {

  @Test
  void shouldKeepEveryFieldOfTheHighWaterMark() {
    SourcePosition snapshot =
        new SourcePosition("mariadb", "s", "d", "t", "bin.000001", 1386, 0, null, 7, "first", -1)
            .withOrdinal(4);
    StreamPosition position = new StreamPosition(3, snapshot, "id", "tx", 4, 99);
    Serde<StreamPosition> serde = JsonSerde.of(StreamPosition.class);

    StreamPosition read =
        serde.deserializer().deserialize("t", serde.serializer().serialize("t", position));

    assertThat(read).isEqualTo(position);
    assertThat(read.lastSource().readBySnapshot()).isTrue();
  }
}
