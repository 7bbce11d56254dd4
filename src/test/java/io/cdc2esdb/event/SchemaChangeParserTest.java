package io.cdc2esdb.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.envelope.SourcePosition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Table structures from schema-change records, and which structure a row's position finds. */
class SchemaChangeParserTest {

  private final SchemaChangeParser parser = new SchemaChangeParser();

  private static byte[] change(String type, long pos, String ddl, String columns) {
    String table = columns == null ? "null" : "{\"columns\":[" + columns + "]}";
    return ("{\"source\":{\"file\":\"mariadb-bin.000001\",\"pos\":"
            + pos
            + ",\"snapshot\":\"false\"},\"ddl\":\""
            + ddl
            + "\",\"tableChanges\":[{\"type\":\""
            + type
            + "\",\"id\":\"\\\"shop\\\".\\\"docs\\\"\",\"table\":"
            + table
            + "}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String column(String name, String typeName) {
    return "{\"name\":\"" + name + "\",\"typeName\":\"" + typeName + "\",\"length\":null}";
  }

  @Test
  void shouldTakeALongtextColumnAsJsonWhenItsDdlSaysSoAndKeepItAcrossAnAlter() {
    List<SchemaChangeParser.TableChange> created =
        parser.parse(
            change(
                "CREATE",
                100,
                "CREATE TABLE docs (id INT, body JSON, note LONGTEXT)",
                column("id", "INT")
                    + ","
                    + column("body", "LONGTEXT")
                    + ","
                    + column("note", "LONGTEXT")),
            key -> null);
    TableHistory.Version first = created.get(0).version();
    assertThat(created.get(0).tableKey()).isEqualTo("shop.docs");
    assertThat(first.columns())
        .extracting(TableHistory.Column::json)
        .containsExactly(false, true, false);

    TableHistory.Version altered =
        parser
            .parse(
                change(
                    "ALTER",
                    200,
                    "ALTER TABLE docs ADD COLUMN extra INT",
                    column("id", "INT")
                        + ","
                        + column("body", "LONGTEXT")
                        + ","
                        + column("note", "LONGTEXT")
                        + ","
                        + column("extra", "INT")),
                key -> first)
            .get(0)
            .version();
    assertThat(altered.columns())
        .extracting(TableHistory.Column::json)
        .containsExactly(false, true, false, false);

    TableHistory history = TableHistory.empty().with(altered).with(first);
    assertThat(history.versions()).containsExactly(first, altered);
    assertThat(history.at(position(150))).isEqualTo(first);
    assertThat(history.at(position(250))).isEqualTo(altered);
    assertThat(history.at(position(50))).isNull();
  }

  @Test
  void shouldRecordADroppedTableAndReplaceADdlReadAgain() {
    TableHistory.Version dropped =
        parser.parse(change("DROP", 300, "DROP TABLE docs", null), key -> null).get(0).version();
    assertThat(dropped.columns()).isNull();
    TableHistory history = TableHistory.empty().with(dropped).with(dropped);
    assertThat(history.versions()).hasSize(1);
  }

  @Test
  void shouldRefuseARecordThatIsNotJson() {
    assertThatThrownBy(() -> parser.parse("{oops".getBytes(StandardCharsets.UTF_8), key -> null))
        .isInstanceOf(EnvelopeException.class);
    assertThat(parser.parse(null, key -> null)).isEmpty();
  }

  private static SourcePosition position(long pos) {
    return new SourcePosition(
        "mariadb",
        "s",
        "shop",
        "docs",
        "mariadb-bin.000001",
        pos,
        0,
        null,
        0,
        null,
        SourcePosition.NO_ORDINAL);
  }
}
