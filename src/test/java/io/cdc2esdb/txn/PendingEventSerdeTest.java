package io.cdc2esdb.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.envelope.RecordHeader;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingEventSerdeTest {

  private static final String VALUE =
      "{ \"before\" : null, \"after\" : {\"id\":7,\"name\":\"caf\\u00e9 \\ud83d\\ude00\"},"
          + " \"op\":\"c\", \"source\":{\"name\":\"db\",\"db\":\"inv\",\"table\":\"t\","
          + "\"file\":\"bin.000001\",\"pos\":107,\"row\":0,\"snapshot\":\"false\"}}";

  private static ChangeEvent parse(String value) {
    return ((ParsedRecord.Change)
            new EnvelopeParser()
                .parse(
                    new Origin("db.inv.t", 0, 7, 0, List.of(new RecordHeader("h", new byte[] {1}))),
                    "{\"id\":7}".getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)))
        .event();
  }

  @Test
  void shouldStoreThePayloadAsTheRecordsOwnBytesWhenNothingRewroteIt() {
    ChangeEvent event = parse(VALUE);
    byte[] own = VALUE.getBytes(StandardCharsets.UTF_8);

    byte[] frame = PendingEventSerde.write(new PendingEvent("t-7", event, 5));

    // The record's own spacing and escapes, which writing the tree again would not keep.
    assertThat(Arrays.copyOfRange(frame, frame.length - own.length, frame.length)).isEqualTo(own);
    ChangeEvent read = PendingEventSerde.read(frame).event();
    assertThat(read).isEqualTo(event.withOrigin(read.origin()));
    assertThat(read.raw().payload()).isEqualTo(own);
  }

  @Test
  void shouldWriteAPayloadBuiltAsATree() {
    ChangeEvent read = parse(VALUE);
    ChangeEvent built =
        new ChangeEvent(
            read.op(),
            read.key(),
            read.before(),
            read.after(),
            read.payload(),
            read.source(),
            read.transaction(),
            read.origin(),
            null);
    assertThat(built.raw()).isNull();

    byte[] frame = PendingEventSerde.write(new PendingEvent("t-7", built, 5));

    byte[] written = Json.bytes(read.payload());
    assertThat(Arrays.copyOfRange(frame, frame.length - written.length, frame.length))
        .isEqualTo(written);
    ChangeEvent back = PendingEventSerde.read(frame).event();
    assertThat(back).isEqualTo(read.withOrigin(back.origin()));
  }

  @Test
  void shouldRoundTripStringsOutsideModifiedUtf8sCommonGround() {
    // A supplementary character and a NUL: Java's modified UTF-8 encodes both differently.
    String stream = "t-\ud83d\ude00\u0000-7";
    ChangeEvent event = parse(VALUE);

    PendingEvent read =
        PendingEventSerde.read(PendingEventSerde.write(new PendingEvent(stream, event, 5)));

    assertThat(read.stream()).isEqualTo(stream);
    assertThat(read.event().origin().headers().get(0).key()).isEqualTo("h");
    assertThat(read.event().origin().headers().get(0).value()).containsExactly(1);
  }

  @Test
  void shouldReadTheFirstFrameWithModifiedUtf8Strings() throws IOException {
    ChangeEvent event = parse(VALUE);
    byte[] payload = VALUE.getBytes(StandardCharsets.UTF_8);
    byte[] key = "{\"id\":7}".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(buffer)) {
      out.writeByte(PendingEventSerde.FRAME_MODIFIED_UTF8);
      out.writeUTF("t-\ud83d\ude00");
      out.writeLong(5);
      out.writeUTF("db.inv.t");
      out.writeInt(0);
      out.writeLong(7);
      out.writeLong(0);
      out.writeLong(payload.length);
      out.writeInt(1);
      out.writeUTF("h");
      out.writeInt(1);
      out.write(1);
      out.writeInt(key.length);
      out.write(key);
      out.writeInt(payload.length);
      out.write(payload);
    }

    PendingEvent read = PendingEventSerde.read(buffer.toByteArray());

    assertThat(read.stream()).isEqualTo("t-\ud83d\ude00");
    assertThat(read.bufferedAtMs()).isEqualTo(5);
    assertThat(read.event().origin().valueBytes()).isEqualTo(payload.length);
    assertThat(read.event()).isEqualTo(event.withOrigin(read.event().origin()));
    assertThat(read.event().origin().headers().get(0).value()).containsExactly(1);
  }
}
