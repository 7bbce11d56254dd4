package io.cdc2esdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code demo --once} on captures: the bundled sample, every fixture of real Debezium output, and
 * captures recorded with other connector settings ({@code src/test/resources/captures/}). Each run
 * starts its own broker, emulator and cdc2esdb, since captures reuse topic and stream names.
 */
class DemoCaptureIT {

  private static final String GTID = "\\d+-\\d+-\\d+";

  @TempDir Path dir;

  @Test
  void shouldWriteTheBundledSampleWithMariaDbGtidsAsCorrelationIds() {
    Demo demo = Demo.run(dir.resolve("s.json"));

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    JsonNode streams = demo.summary().get("streams");
    assertThat(streams.properties())
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s.getKey()).startsWith("customers-"));
    List<JsonNode> inTransactions = new ArrayList<>();
    streams.forEach(
        events ->
            events.forEach(
                e -> {
                  if (e.at("/metadata/transaction").isObject()) {
                    inTransactions.add(e.get("metadata"));
                  }
                }));
    assertThat(inTransactions)
        .isNotEmpty()
        .allSatisfy(
            m -> {
              assertThat(m.get("$correlationId").asText()).matches(GTID);
              assertThat(m.get("$correlationId")).isEqualTo(m.at("/transaction/id"));
              assertThat(m.get("$correlationId")).isEqualTo(m.at("/source/gtid"));
            });
    assertThat(demo.out())
        .contains("$ce-customers", "$bc-", "Dead letters: 0", "Everything read is written");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void shouldWriteOneEventPerChangeInOrderAndHoldNothingBack(String name, Path capture) {
    Demo demo = Demo.run(dir.resolve("s.json"), "--input", capture.toString());

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    OneEventPerChange.assertHolds(CaptureFile.read(capture), demo.summary());
  }

  @Test
  void shouldListDeadLettersWithWhereTheyCameFromAndWhy() throws IOException {
    String topic = "shop.inventory.customers";
    Path capture =
        Files.writeString(
            dir.resolve("one-bad.jsonl"),
            line(
                    topic,
                    0,
                    "{\"id\":1}",
                    "{\"op\":\"c\",\"after\":{\"id\":1},\"source\":" + SOURCE + "}")
                + line(topic, 1, "{\"id\":2}", "this is not JSON")
                + line(
                    topic,
                    2,
                    "{\"id\":1}",
                    "{\"op\":\"d\",\"before\":{\"id\":1},\"source\":"
                        + SOURCE.replace("\"pos\":4", "\"pos\":5")
                        + "}"));

    Demo demo = Demo.run(dir.resolve("s.json"), "--input", capture.toString());

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.summary().get("deadLetters")).hasSize(1);
    JsonNode dead = demo.summary().get("deadLetters").get(0);
    assertThat(dead.get("topic").asText()).isEqualTo(topic);
    assertThat(dead.get("partition").asInt()).isZero();
    assertThat(dead.get("offset").asLong()).isEqualTo(1);
    assertThat(dead.get("error").asText()).isEqualTo("malformed-json");
    assertThat(demo.summary().at("/counts/deadLettered").asLong()).isEqualTo(1);
    assertThat(demo.summary().at("/counts/written").asLong()).isEqualTo(2);
    assertThat(demo.summary().at("/streams/customers-1").size()).isEqualTo(2);
    assertThat(demo.out()).contains("Dead letters: 1", topic + "-0@1: malformed-json");
  }

  private static final String SOURCE =
      "{\"connector\":\"mariadb\",\"name\":\"shop\",\"db\":\"inventory\","
          + "\"table\":\"customers\",\"server_id\":1,\"file\":\"bin.000001\",\"pos\":4,"
          + "\"row\":0,\"snapshot\":\"false\",\"gtid\":null,\"ts_ms\":0}";

  private static String line(String topic, long offset, String key, String value) {
    return Json.text(
            Json.object()
                .put("topic", topic)
                .put("partition", 0)
                .put("offset", offset)
                .put("key_raw_utf8", key)
                .put("value_raw_utf8", value))
        + "\n";
  }

  @Test
  void shouldWriteEveryRowOfAKeylessTableUnderTableStream() {
    Path capture = resource("/captures/edge/mariadb-3.5-keyless.jsonl");
    Demo demo =
        Demo.run(
            dir.resolve("s.json"),
            "--input",
            capture.toString(),
            "--set",
            "missing.key.policy=table-stream");

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.summary().at("/counts/written").asLong()).isEqualTo(14);
    assertThat(demo.summary().at("/counts/deadLettered").asLong()).isZero();
    assertThat(demo.summary().at("/streams/visits").size()).isEqualTo(14);
  }

  @Test
  void shouldDeadLetterExactlyTheRowsOverTheAppendLimitAndWriteTheRest() {
    Path capture = resource("/captures/edge/mariadb-3.5-large-rows.jsonl");
    Demo demo = Demo.run(dir.resolve("s.json"), "--input", capture.toString());

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.summary().at("/counts/written").asLong()).isEqualTo(4);
    assertThat(demo.summary().at("/counts/deadLettered").asLong()).isEqualTo(3);
    assertThat(demo.summary().get("deadLetters"))
        .hasSize(3)
        .allSatisfy(d -> assertThat(d.get("error").asText()).isEqualTo("event-too-large"));
    assertThat(demo.summary().get("streams").properties())
        .extracting(java.util.Map.Entry::getKey)
        .containsExactlyInAnyOrder("documents-1", "documents-4", "documents-5");
  }

  private static Path resource(String name) {
    try {
      return Path.of(DemoCaptureIT.class.getResource(name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldRefuseACaptureThatIsNotOneAndSayWhichLine() throws IOException {
    Path bad = Files.writeString(dir.resolve("bad.jsonl"), "{\"topic\":\"a.b.c\"}\nnot json\n");

    Demo demo = Demo.run(dir.resolve("s.json"), "--input", bad.toString());

    assertThat(demo.exitCode()).isEqualTo(1);
    assertThat(demo.err()).contains("line 2");
    assertThat(demo.summary()).isNull();
  }

  static Stream<Arguments> captures() {
    return Stream.concat(files("/fixtures/debezium-mariadb-3.5/"), files("/captures/"));
  }

  private static Stream<Arguments> files(String resource) {
    try (Stream<Path> list =
        Files.list(Path.of(DemoCaptureIT.class.getResource(resource).toURI()))) {
      // The value-types captures hold rich column types whose natural JSON differs from Debezium's
      // by design; RowDecoderCaptureTest holds them to what MariaDB showed (*.expected.json).
      return list
          .filter(p -> p.toString().endsWith(".json") || p.toString().endsWith(".jsonl"))
          .filter(p -> !p.getFileName().toString().startsWith("value-types-"))
          .sorted()
          .map(p -> Arguments.of(p.getFileName().toString(), p))
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
