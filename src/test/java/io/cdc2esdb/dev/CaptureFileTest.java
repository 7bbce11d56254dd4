package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFileTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  void shouldReadEveryRecordOfTheConnectDumpByTopic() {
    List<CaptureRecord> records = CaptureFile.read(Fixtures.path("connect-dump.jsonl"));

    assertThat(records).hasSize(104);
    Map<String, Long> perTopic =
        records.stream()
            .collect(Collectors.groupingBy(CaptureRecord::topic, Collectors.counting()));
    assertThat(perTopic)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "dbserver1.inventory.customers", 66L,
                "dbserver1.transaction", 32L,
                "dbserver1", 6L));
    assertThat(records.stream().filter(CaptureRecord::isTombstone)).hasSize(13);
  }

  @Test
  void shouldKeepTheExactKeyBytesAndReserialiseTheParsedValueCompactly() throws IOException {
    List<String> lines = Files.readAllLines(Fixtures.path("connect-dump.jsonl"));
    List<CaptureRecord> records = CaptureFile.read(Fixtures.path("connect-dump.jsonl"));

    for (int i = 0; i < lines.size(); i++) {
      JsonNode line = JSON.readTree(lines.get(i));
      CaptureRecord record = records.get(i);
      assertThat(record.keyUtf8()).isEqualTo(line.get("key_raw_utf8").asText());
      assertThat(record.offset()).isEqualTo(line.get("offset").asLong());
      assertThat(record.timestamp()).isEqualTo(line.get("timestamp").asLong());
      if (line.get("value").isNull()) {
        assertThat(record.value()).isNull();
      } else {
        // The fixture itself is compact JSON, so the value must appear in it verbatim.
        assertThat(lines.get(i)).contains("\"value\":" + record.valueUtf8() + ",");
        assertThat(JSON.readTree(record.value())).isEqualTo(line.get("value"));
      }
    }
  }

  @Test
  void shouldTakeExactHeaderBytesInRecordOrder() {
    CaptureRecord embedded = CaptureFile.read(Fixtures.path("embedded-dump.jsonl")).get(0);
    CaptureRecord connect = CaptureFile.read(Fixtures.path("connect-dump.jsonl")).get(0);

    // The embedded engine JSON-quotes header values; Kafka Connect writes them bare.
    assertThat(embedded.headers())
        .extracting(CaptureRecord.Header::name)
        .containsExactly(
            "__debezium.context.connectorLogicalName",
            "__debezium.context.taskId",
            "__debezium.context.connectorName",
            "__debezium.context.runId");
    assertThat(embedded.lastHeader("__debezium.context.taskId").valueUtf8()).isEqualTo("\"0\"");
    assertThat(connect.lastHeader("__debezium.context.taskId").valueUtf8()).isEqualTo("0");
    assertThat(connect.lastHeader("__debezium.context.connectorLogicalName").valueUtf8())
        .isEqualTo("dbserver1");
  }

  @Test
  void shouldReadTheJsonArrayFixtures() throws IOException {
    Map<String, Integer> sizes;
    try (Stream<Path> files = Files.list(Fixtures.path("connect-dump.jsonl").getParent())) {
      sizes =
          files
              .filter(p -> p.getFileName().toString().endsWith(".json"))
              .collect(
                  Collectors.toMap(
                      p -> p.getFileName().toString(), p -> CaptureFile.read(p).size()));
    }
    assertThat(sizes).hasSize(10);
    assertThat(sizes).containsEntry("09_primary_key_change_with_oldkey_newkey_headers.json", 3);
    assertThat(sizes).containsEntry("10_one_full_transaction_0-1-12.json", 8);
  }

  @Test
  void shouldCarryThePrimaryKeyChangeHeadersAndTheTombstoneBetween() {
    List<CaptureRecord> records =
        CaptureFile.read(Fixtures.path("09_primary_key_change_with_oldkey_newkey_headers.json"));

    assertThat(records).extracting(CaptureRecord::isTombstone).containsExactly(false, true, false);
    assertThat(records.get(1).keyUtf8()).isEqualTo("{\"id\":1003}");
    assertThat(records.get(1).lastHeader("__debezium.newkey").valueUtf8())
        .isEqualTo("{\"id\":2003}");
    assertThat(records.get(2).lastHeader("__debezium.oldkey").valueUtf8())
        .isEqualTo("{\"id\":1003}");
  }

  @Test
  void shouldWriteAFileThatReadsBackToTheSameRecords() {
    List<CaptureRecord> original = CaptureFile.read(Fixtures.path("connect-dump.jsonl"));
    Path copy = dir.resolve("copy.jsonl");

    CaptureFile.write(copy, original);

    assertThat(CaptureFile.read(copy)).isEqualTo(original);
  }

  @Test
  void shouldKeepRepeatedHeaderNamesInOrderThroughAFile() {
    CaptureRecord record =
        CaptureRecord.ofUtf8(
            "t",
            2,
            7,
            "k",
            null,
            List.of(
                CaptureRecord.Header.ofUtf8("h", "1"),
                CaptureRecord.Header.ofUtf8("x", null),
                CaptureRecord.Header.ofUtf8("h", "2")));
    Path file = dir.resolve("repeated.jsonl");

    CaptureFile.write(file, List.of(record));

    assertThat(CaptureFile.read(file)).containsExactly(record);
  }

  @Test
  void shouldPreferExactBytesOverParsedJson() {
    String line =
        "{\"topic\":\"t\",\"key\":{\"id\":1},\"key_raw_utf8\":\"{ \\\"id\\\" : 1 }\","
            + "\"value\":{\"a\": [1, 2]},\"headers\":{\"n\":5,\"s\":\"x\"}}";

    CaptureRecord record = readOne(line);

    assertThat(record.keyUtf8()).isEqualTo("{ \"id\" : 1 }");
    assertThat(record.valueUtf8()).isEqualTo("{\"a\":[1,2]}");
    assertThat(record.headers())
        .extracting(CaptureRecord.Header::valueUtf8)
        .containsExactly("5", "x");
    assertThat(record.partition()).isZero();
    assertThat(record.offset()).isEqualTo(CaptureRecord.UNKNOWN);
    assertThat(record.timestamp()).isEqualTo(CaptureRecord.UNKNOWN);
  }

  @Test
  void shouldNameTheLineOfABrokenRecord() {
    String text = "{\"topic\":\"t\",\"value\":null}\n\n{\"partition\":0}\n";

    assertThatThrownBy(() -> readAll(text))
        .isInstanceOf(CaptureFormatException.class)
        .hasMessage("test, line 3: a capture record needs a \"topic\" string");
  }

  @Test
  void shouldRefuseToWriteBytesThatAreNotText() {
    CaptureRecord avro =
        new CaptureRecord("t", 0, 0, 0, new byte[] {0, (byte) 0xC3}, null, List.of());

    assertThatThrownBy(() -> CaptureFile.write(dir.resolve("bad.jsonl"), List.of(avro)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not UTF-8");
  }

  @Test
  void shouldWriteParsedDecimalsBackExactly() {
    CaptureRecord record = readOne("{\"topic\":\"t\",\"value\":{\"price\":12.50,\"n\":10}}");

    assertThat(record.valueUtf8()).isEqualTo("{\"price\":12.50,\"n\":10}");
  }

  @Test
  void shouldNameABrokenJsonArray() {
    assertThatThrownBy(() -> readAll("[{\"topic\":\"t\"},"))
        .isInstanceOf(CaptureFormatException.class)
        .hasMessageStartingWith("test, JSON array: ");
  }

  private static CaptureRecord readOne(String line) {
    List<CaptureRecord> records = readAll(line);
    assertThat(records).hasSize(1);
    return records.get(0);
  }

  private static List<CaptureRecord> readAll(String text) {
    return CaptureFile.read(
        new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test");
  }
}
