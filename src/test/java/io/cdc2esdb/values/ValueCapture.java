package io.cdc2esdb.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded run of {@link ValueTypesWorkload} ({@link RecordValueCaptures}): the Debezium
 * records and the rows MariaDB showed after each change.
 */
public record ValueCapture(
    String name, List<CaptureRecord> records, List<ValueTypesWorkload.Expected> expected) {

  public static ValueCapture load(String name) {
    try (InputStream capture = resource(name + ".jsonl");
        InputStream expected = resource(name + ".expected.json")) {
      List<ValueTypesWorkload.Expected> rows = new ArrayList<>();
      for (JsonNode each : Json.MAPPER.readTree(expected)) {
        rows.add(
            new ValueTypesWorkload.Expected(
                Json.orNull(each.get("gtid")) == null ? null : each.get("gtid").asText(),
                each.get("op").asText(),
                each.get("id").asInt(),
                (ObjectNode) each.get("row")));
      }
      return new ValueCapture(name, CaptureFile.read(capture, name), rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream resource(String file) {
    InputStream in = ValueCapture.class.getResourceAsStream("/captures/" + file);
    if (in == null) {
      throw new IllegalArgumentException("no capture " + file);
    }
    return in;
  }

  /** The records of Debezium's schema-change topic, in order. */
  public List<CaptureRecord> schemaChanges() {
    return records.stream().filter(r -> !r.topic().contains(".")).toList();
  }

  /** The records of the table's topic, tombstones left out, in order. */
  public List<CaptureRecord> changes() {
    return records.stream()
        .filter(r -> r.topic().endsWith("." + ValueTypesWorkload.TABLE) && !r.isTombstone())
        .toList();
  }

  /** The row MariaDB showed for a change, found by its GTID (snapshot rows: by id). */
  public ObjectNode expectedRow(String gtid, int id) {
    return expected.stream()
        .filter(e -> gtid == null ? e.gtid() == null && e.id() == id : gtid.equals(e.gtid()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no expected row for " + gtid + "/" + id))
        .row();
  }
}
