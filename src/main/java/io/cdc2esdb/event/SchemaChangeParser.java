package io.cdc2esdb.event;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.error.DeadLetterCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a record of Debezium's schema-change topic ({@code <prefix>}) into the table structures it
 * announces ({@code tableChanges[].table.columns[]}), at the binlog position of its DDL. Pure.
 *
 * <p>MariaDB keeps a {@code JSON} column as {@code LONGTEXT} with a {@code json_valid} check, and
 * Debezium reports it as {@code LONGTEXT}: a column is taken as JSON when its DDL declares it
 * {@code JSON} or checks it with {@code json_valid}, or when it was JSON before and its type did
 * not change.
 */
public final class SchemaChangeParser {

  private static final Pattern TABLE_ID =
      Pattern.compile("^\"((?:[^\"]|\"\")*)\"\\.\"((?:[^\"]|\"\")*)\"$");

  /** One table's new structure. */
  public record TableChange(String db, String table, TableHistory.Version version) {

    /** The key of the table in the {@code table-structures} store. */
    public String tableKey() {
      return TableKeys.of(db, table);
    }
  }

  /**
   * @param previous the table's latest known structure by table key, to carry JSON columns over an
   *     {@code ALTER TABLE} that does not mention them
   * @return the tables the record changes; empty for a record without table changes or a tombstone
   */
  public List<TableChange> parse(byte[] value, Function<String, TableHistory.Version> previous) {
    if (value == null) {
      return List.of();
    }
    JsonNode payload;
    try {
      payload = Json.withoutSchemaWrapper(Json.read(value));
    } catch (IOException e) {
      throw new EnvelopeException(
          DeadLetterCode.MALFORMED_JSON, "schema change is not valid JSON", e);
    }
    if (payload == null || !payload.isObject()) {
      throw new EnvelopeException(
          DeadLetterCode.NOT_AN_OBJECT, "schema change is not a JSON object");
    }
    JsonNode source = payload.path("source");
    String file = source.path("file").asText(null);
    long pos = source.path("pos").asLong(0);
    String snapshot = source.path("snapshot").asText("false");
    boolean isSnapshot = !snapshot.isEmpty() && !"false".equals(snapshot);
    String ddl = payload.path("ddl").asText("");
    List<TableChange> changes = new ArrayList<>();
    for (JsonNode change : payload.path("tableChanges")) {
      Matcher id = TABLE_ID.matcher(change.path("id").asText(""));
      if (!id.matches()) {
        continue;
      }
      String db = id.group(1).replace("\"\"", "\"");
      String table = id.group(2).replace("\"\"", "\"");
      JsonNode structure = Json.orNull(change.get("table"));
      List<TableHistory.Column> columns = null;
      if (!"DROP".equals(change.path("type").asText()) && structure != null) {
        TableHistory.Version before = previous.apply(TableKeys.of(db, table));
        columns = new ArrayList<>();
        for (JsonNode c : structure.path("columns")) {
          columns.add(column(c, ddl, before));
        }
      }
      changes.add(
          new TableChange(db, table, new TableHistory.Version(file, pos, isSnapshot, columns)));
    }
    return changes;
  }

  private static TableHistory.Column column(JsonNode c, String ddl, TableHistory.Version before) {
    String name = c.path("name").asText();
    String typeName = c.path("typeName").asText(null);
    boolean json = "JSON".equalsIgnoreCase(typeName) || declaresJson(ddl, name);
    if (!json && before != null && before.columns() != null) {
      for (TableHistory.Column old : before.columns()) {
        if (old.name().equals(name) && old.json() && Objects.equals(old.typeName(), typeName)) {
          json = true;
        }
      }
    }
    return new TableHistory.Column(
        name, typeName, integerOrNull(c.get("length")), integerOrNull(c.get("scale")), json);
  }

  private static boolean declaresJson(String ddl, String column) {
    String quoted = "`?" + Pattern.quote(column) + "`?";
    return Pattern.compile(
            "json_valid\\s*\\(\\s*" + quoted + "\\s*\\)|(^|[\\s,(])" + quoted + "\\s+json\\b",
            Pattern.CASE_INSENSITIVE)
        .matcher(ddl)
        .find();
  }

  private static Integer integerOrNull(JsonNode node) {
    return node == null || !node.canConvertToInt() ? null : node.asInt();
  }
}
