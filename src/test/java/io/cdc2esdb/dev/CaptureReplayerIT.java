package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CaptureReplayerIT {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void shouldReplayTheConnectDumpByteForByteUnderItsOwnTopics() {
    List<CaptureRecord> capture = CaptureFile.read(Fixtures.path("connect-dump.jsonl"));
    Set<String> topics = CaptureReplayer.partitionsNeeded(capture).keySet();

    int produced = CaptureReplayer.replay(kafka.bootstrapServers(), capture);
    List<CaptureRecord> replayed =
        TopicReader.readAll(kafka.bootstrapServers(), topics, Duration.ofSeconds(30));

    assertThat(produced).isEqualTo(104);
    // The dump was taken from fresh topics in topic/offset order, so even offsets match.
    assertThat(sorted(replayed)).isEqualTo(sorted(capture));
  }

  @Test
  void shouldKeepEachRecordsPartitionCreatingOrGrowingTopicsForIt() throws Exception {
    kafka.createTopics(1, "grow");
    List<CaptureRecord> capture =
        List.of(
            CaptureRecord.ofUtf8("spread", 2, 0, "{\"id\":1}", "{}", List.of()),
            CaptureRecord.ofUtf8("spread", 0, 0, "{\"id\":2}", null, List.of()),
            CaptureRecord.ofUtf8("grow", 3, 0, "{\"id\":3}", "{}", List.of()));

    CaptureReplayer.replay(kafka.bootstrapServers(), capture);
    List<CaptureRecord> replayed =
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            List.of("spread", "grow"),
            records -> records.size() == 3,
            Duration.ofSeconds(30));

    assertThat(replayed)
        .extracting(r -> r.topic() + "-" + r.partition() + " " + r.keyUtf8())
        .containsExactlyInAnyOrder(
            "spread-2 {\"id\":1}", "spread-0 {\"id\":2}", "grow-3 {\"id\":3}");
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      Map<String, TopicDescription> described =
          admin.describeTopics(List.of("spread", "grow")).allTopicNames().get();
      assertThat(described.get("spread").partitions()).hasSize(3);
      assertThat(described.get("grow").partitions()).hasSize(4);
    }
  }

  private static List<CaptureRecord> sorted(List<CaptureRecord> records) {
    return records.stream()
        .sorted(
            java.util.Comparator.comparing(CaptureRecord::topic)
                .thenComparingInt(CaptureRecord::partition)
                .thenComparingLong(CaptureRecord::offset))
        .toList();
  }
}
