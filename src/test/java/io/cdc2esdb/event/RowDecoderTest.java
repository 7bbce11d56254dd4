package io.cdc2esdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RowDecoderTest {

  private static final String SOURCE =
      "\"source\":{\"name\":\"db\",\"db\":\"inv\",\"table\":\"t\",\"file\":\"bin.000001\","
          + "\"pos\":107,\"row\":0,\"snapshot\":\"false\"}";

  private final RowDecoder decoder = new RowDecoder(ValueOptions.DEFAULTS);

  private static ChangeEvent parse(String value) {
    return ((ParsedRecord.Change)
            new EnvelopeParser()
                .parse(
                    new Origin("db.inv.t", 0, 7, 0),
                    "{\"id\":7}".getBytes(StandardCharsets.UTF_8),
                    value.getBytes(StandardCharsets.UTF_8)))
        .event();
  }

  private static JsonNode schema(String afterFields) throws IOException {
    return Json.read(
        ("{\"fields\":[{\"field\":\"after\",\"fields\":[" + afterFields + "]}]}")
            .getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void shouldKeepTheChangeAsReadWhenNoValueChanges() throws IOException {
    ChangeEvent event =
        parse(
            "{\"before\":null,\"after\":{\"id\":7,\"name\":\"x\",\"other\":\"y\"},\"op\":\"c\","
                + SOURCE
                + "}");

    RowDecoder.Decoded decoded =
        decoder.decode(
            event,
            schema(
                "{\"field\":\"id\",\"type\":\"int32\"},{\"field\":\"name\",\"type\":\"string\"}"),
            null);

    assertThat(decoded.event()).isSameAs(event);
    assertThat(decoded.event().raw()).isNotNull();
    assertThat(decoded.undecoded()).isEqualTo(1); // "other": no type known
  }

  @Test
  void shouldCountEveryNonNullValueAsUndecodedWhenNoTypeIsKnown() {
    ChangeEvent event =
        parse(
            "{\"before\":{\"id\":7,\"name\":null,\"tags\":[1,2]},"
                + "\"after\":{\"id\":7,\"name\":\"x\",\"tags\":{\"a\":null}},\"op\":\"u\","
                + SOURCE
                + "}");
    ChangeEvent fromTrees =
        new ChangeEvent(
            event.op(),
            event.key(),
            event.before(),
            event.after(),
            event.payload(),
            event.source(),
            event.transaction(),
            event.origin(),
            null);

    RowDecoder.Decoded decoded = decoder.decode(event, null, null);

    // From the record's bytes as from the trees: 2 of before, 3 of after.
    assertThat(decoded.event()).isSameAs(event);
    assertThat(decoded.undecoded()).isEqualTo(5);
    assertThat(decoder.decode(fromTrees, null, null).undecoded()).isEqualTo(5);
  }

  @Test
  void shouldRewriteOnlyACopyWhenAValueIsDecoded() throws IOException {
    ChangeEvent event =
        parse("{\"before\":null,\"after\":{\"id\":7,\"d\":19967},\"op\":\"c\"," + SOURCE + "}");
    String asRead = event.payload().toString();

    RowDecoder.Decoded decoded =
        decoder.decode(
            event,
            schema(
                "{\"field\":\"id\",\"type\":\"int32\"},"
                    + "{\"field\":\"d\",\"type\":\"int32\",\"name\":\"io.debezium.time.Date\"}"),
            null);

    ChangeEvent natural = decoded.event();
    assertThat(natural.after().get("d").asText()).isEqualTo("2024-09-01");
    assertThat(natural.payload().get("after")).isSameAs(natural.after());
    assertThat(natural.payload().get("source")).isEqualTo(event.payload().get("source"));
    // Its payload is no longer the record's bytes, and the change as read is untouched.
    assertThat(natural.raw()).isNull();
    assertThat(Json.read(natural.payloadBytes())).isEqualTo(natural.payload());
    assertThat(event.payload().toString()).isEqualTo(asRead);
    assertThat(event.after().get("d").asInt()).isEqualTo(19967);
    assertThat(decoded.undecoded()).isZero();
  }
}
