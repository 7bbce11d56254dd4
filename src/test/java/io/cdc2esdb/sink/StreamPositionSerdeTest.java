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
    Serde<StreamPosition> serde = StreamPositionSerde.serde();

    StreamPosition read =
        serde.deserializer().deserialize("t", serde.serializer().serialize("t", position));

    assertThat(read).isEqualTo(position);
    assertThat(read.lastSource().readBySnapshot()).isTrue();
  }

  @Test
  void shouldKeepAbsentAndNonAsciiValues() {
    SourcePosition streaming =
        new SourcePosition(
            null, "s", "d", "caf\u00e9-\ud83d\ude00", "bin.000002", 4, 2, "0-1-9", 7, null, -1);
    Serde<StreamPosition> serde = StreamPositionSerde.serde();
    for (StreamPosition position :
        java.util.List.of(
            new StreamPosition(-1, null, null, null, 0, 1),
            new StreamPosition(Long.MAX_VALUE, streaming, null, "0-1-9", 12, 99))) {
      assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", position)))
          .isEqualTo(position);
    }
  }

  @Test
  void shouldReadTheJsonFormatItReplaced() {
    SourcePosition snapshot =
        new SourcePosition("mariadb", "s", "d", "t", "bin.000001", 1386, 0, null, 7, "first", 4);
    StreamPosition position = new StreamPosition(3, snapshot, "id", "tx", 4, 99);
    byte[] json = JsonSerde.of(StreamPosition.class).serializer().serialize("t", position);

    assertThat(json[0]).isEqualTo((byte) '{');
    assertThat(StreamPositionSerde.serde().deserializer().deserialize("t", json))
        .isEqualTo(position);
    assertThat(StreamPositionSerde.serde().serializer().serialize("t", position)[0])
        .isEqualTo(StreamPositionSerde.FRAME);
  }
}
