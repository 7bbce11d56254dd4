package io.cdc2esdb.naming;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pins the event ids of real captured changes. The ids are what makes a replay after a crash
 * harmless (EventStoreDB and the read-back reconciliation recognise our own earlier writes by
 * them): a silent change of the recipe would turn every replay of already-written input into
 * conflicts and duplicates. If this fails, the recipe changed: that needs a migration story, not a
 * new golden value.
 */
class EventIdsGoldenTest {

  private static final String CAPTURE = "/fixtures/debezium-mariadb-3.5/connect-dump.jsonl";

  /** Op and offset of a change record on {@code dbserver1.inventory.customers} -> its event id. */
  private static final Map<String, String> GOLDEN = new LinkedHashMap<>();

  static {
    GOLDEN.put("r@0", "4eee2eaa-a28b-5289-b7ed-3ae567076fe4"); // snapshot rows
    GOLDEN.put("r@3", "d811340b-75d9-5a1c-8bf3-68850d6acdb1");
    GOLDEN.put("c@4", "c0f578a0-50ae-52a5-852c-af79bc3d37d9"); // streaming insert
    GOLDEN.put("u@7", "fec9a758-9448-5907-a6ce-f505fb12e5fe"); // update
    GOLDEN.put("d@9", "025a1979-4d6a-5678-b405-aca3d2a26a39"); // delete
    GOLDEN.put("u@15", "7f0ec020-ec13-599f-82f7-535adb484e9b"); // one row updated twice in a
    GOLDEN.put("u@16", "dd6cd1e8-9d45-58fb-8866-2c2743e4d084"); // transaction
    GOLDEN.put("d@64", "442184e1-81e2-5e9f-882f-0409cfc4e378");
  }

  @Test
  void shouldKeepTheEventIdsOfCapturedChanges() throws Exception {
    List<CaptureRecord> records;
    try (InputStream in = EventIdsGoldenTest.class.getResourceAsStream(CAPTURE)) {
      records = CaptureFile.read(in, CAPTURE);
    }
    Map<String, String> ids = new LinkedHashMap<>();
    EnvelopeParser parser = new EnvelopeParser();
    for (CaptureRecord r : records) {
      if (r.value() == null || !r.topic().equals("dbserver1.inventory.customers")) {
        continue;
      }
      Origin origin = new Origin(r.topic(), r.partition(), r.offset(), r.timestamp());
      if (parser.parse(origin, r.key(), r.value()) instanceof ParsedRecord.Change change) {
        ids.put(
            change.event().op().code() + "@" + r.offset(),
            EventIds.eventId(change.event()).toString());
      }
    }
    assertThat(ids).containsAllEntriesOf(GOLDEN);
  }
}
