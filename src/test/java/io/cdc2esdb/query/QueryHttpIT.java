package io.cdc2esdb.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.app.LocalPipeline;
import io.cdc2esdb.sink.StreamPosition;
import io.cdc2esdb.topology.CdcTopology;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two cdc2esdb instances of one application in this JVM, a 6-partition table topic, the emulator:
 * the HTTP surface answers for the owner whichever instance is asked, where Kafka Streams' own key
 * lookup on the stream name points at the wrong instance.
 */
class QueryHttpIT {

  static final int ROWS = 30;
  static LocalPipeline pipeline;
  static List<String> addresses;

  @BeforeAll
  static void start() {
    pipeline = LocalPipeline.start();
    pipeline.createTopics(Map.of(RowChanges.TOPIC, 6));
    pipeline.startCdc2esdb(
        Map.of("topic.prefix", RowChanges.PREFIX, "application.id", "query-it"),
        Duration.ofSeconds(120),
        2);
    // Sent once each instance holds its share: an instance that joins late would otherwise take
    // over tasks the first one already wrote, and its counters and timers start from nothing.
    awaitActiveTasksEach(3, Duration.ofSeconds(60));
    try (RowChanges changes = new RowChanges(pipeline.bootstrapServers())) {
      changes.sendVersions(ROWS, 1, 2);
    }
    pipeline.awaitCaughtUp(Duration.ofSeconds(120), progress -> {});
    addresses = pipeline.httpAddresses();
  }

  private static void awaitActiveTasksEach(int tasks, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < 2; i++) {
      KafkaStreams streams = pipeline.streams(i);
      while (streams.metadataForLocalThreads().stream().mapToInt(t -> t.activeTasks().size()).sum()
          != tasks) {
        assertThat(System.nanoTime())
            .as("instance %d holds %d tasks", i, tasks)
            .isLessThan(deadline);
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void shouldAnswerEveryStreamFromItsOwnerWhereTheNaiveKeyLookupNamesTheWrongInstance() {
    int naiveWrong = 0;
    for (int id = 1; id <= ROWS; id++) {
      String stream = RowChanges.stream(id);
      String owner = ownerByItsStores(stream);
      HostInfo naive =
          pipeline
              .streams(0)
              .queryMetadataForKey(
                  CdcTopology.POSITIONS_STORE, stream, Serdes.String().serializer())
              .activeHost();
      if (!QueryApi.address(naive).equals(owner)) {
        naiveWrong++;
      }
      for (String asked : addresses) {
        HttpGet reply = HttpGet.get(asked, "/streams/" + stream);
        assertThat(reply.status()).as(stream + " asked at " + asked).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("instance").asText()).as(stream).isEqualTo(owner);
        assertThat(body.get("askedInstance").asText()).isEqualTo(asked);
        assertThat(body.get("eventsWritten").asLong()).isEqualTo(2);
        assertThat(body.get("lastRevision").asLong()).isEqualTo(1);
        assertThat(body.get("nextExpectedRevision").asLong()).isEqualTo(1);
      }
    }
    // Stream names and Debezium keys hash to different partitions for most rows.
    assertThat(naiveWrong).as("streams the naive lookup places on the wrong instance").isPositive();
  }

  /** The truth, from the stores themselves: the instance whose active tasks hold the stream. */
  private static String ownerByItsStores(String stream) {
    List<String> owners = new ArrayList<>();
    for (int i = 0; i < addresses.size(); i++) {
      KafkaStreams streams = pipeline.streams(i);
      StreamPosition position =
          streams
              .store(
                  StoreQueryParameters.fromNameAndType(
                      CdcTopology.POSITIONS_STORE,
                      QueryableStoreTypes.<String, StreamPosition>keyValueStore()))
              .get(stream);
      if (position != null) {
        owners.add(addresses.get(i));
      }
    }
    assertThat(owners).as("owners of " + stream).hasSize(1);
    return owners.get(0);
  }

  @Test
  void shouldPageThroughTheStreamsOfAllInstances() {
    List<String> seen = new ArrayList<>();
    String next = null;
    do {
      String path = "/streams?prefix=t-&limit=7" + (next == null ? "" : "&after=" + next);
      JsonNode page = HttpGet.get(addresses.get(1), path).json();
      assertThat(page.get("streams").size()).isLessThanOrEqualTo(7);
      page.get("streams").forEach(s -> seen.add(s.get("stream").asText()));
      next = page.get("next").isNull() ? null : page.get("next").asText();
    } while (next != null);
    List<String> expected =
        IntStream.rangeClosed(1, ROWS).mapToObj(RowChanges::stream).sorted().toList();
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void shouldAnswerBadRequestsWithJsonErrors() {
    String a = addresses.get(0);
    assertError(HttpGet.get(a, "/streams?limit=0"), 400, "bad-limit");
    assertError(HttpGet.get(a, "/streams?limit=many"), 400, "bad-limit");
    assertError(HttpGet.get(a, "/streams/%24all"), 400, "malformed-name");
    assertError(HttpGet.get(a, "/streams/" + "x".repeat(2_001)), 400, "malformed-name");
    // Jetty refuses a control character in the path before routing: JSON all the same.
    assertError(HttpGet.get(a, "/streams/t-%01"), 400, "bad-request");
    assertError(HttpGet.get(a, "/streams/nobody-1"), 404, "unknown-stream");
    assertError(HttpGet.get(a, "/transactions/0-1-999"), 404, "unknown-transaction");
    assertError(HttpGet.get(a, "/no/such/thing"), 404, "no-such-endpoint");
  }

  private static void assertError(HttpGet reply, int status, String code) {
    assertThat(reply.status()).as(reply.body()).isEqualTo(status);
    assertThat(reply.json().get("error").asText()).isEqualTo(code);
    assertThat(reply.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void shouldReportHealthInstancesPendingTopologyAndMetrics() {
    for (String a : addresses) {
      assertThat(HttpGet.get(a, "/health/live").status()).isEqualTo(200);
      HttpGet ready = HttpGet.get(a, "/health/ready");
      assertThat(ready.status()).as(ready.body()).isEqualTo(200);
      assertThat(ready.json().get("eventStore").asText()).isEqualTo("reachable");
    }
    JsonNode instances = HttpGet.get(addresses.get(0), "/instances").json().get("instances");
    assertThat(instances).hasSize(2);
    List<String> partitions = new ArrayList<>();
    instances.forEach(
        i -> {
          assertThat(i.get("state").asText()).isEqualTo("RUNNING");
          i.get("activePartitions").forEach(p -> partitions.add(p.asText()));
        });
    assertThat(partitions)
        .containsExactlyInAnyOrderElementsOf(
            IntStream.range(0, 6).mapToObj(p -> RowChanges.TOPIC + "-" + p).toList());

    JsonNode pending = HttpGet.get(addresses.get(1), "/pending").json();
    assertThat(pending.get("tasks")).hasSize(6);
    assertThat(pending.get("events").asLong()).isZero();

    assertThat(HttpGet.get(addresses.get(0), "/topology").json().get("description").asText())
        .contains(CdcTopology.DATA_SOURCE, CdcTopology.POSITIONS_STORE);

    long written = 0;
    for (String a : addresses) {
      String metrics = HttpGet.get(a, "/metrics").body();
      assertThat(metrics)
          .contains("cdc2esdb_append_seconds_bucket", "cdc2esdb_pending_events{")
          .contains("kafka_stream_thread_");
      written += metricValue(metrics, "cdc2esdb_events_written_total");
    }
    assertThat(written).isEqualTo(2L * ROWS);
  }

  static long metricValue(String prometheusText, String name) {
    return prometheusText
        .lines()
        .filter(l -> l.startsWith(name + " "))
        .mapToLong(l -> Math.round(Double.parseDouble(l.substring(name.length() + 1))))
        .findFirst()
        .orElseThrow(() -> new AssertionError(name + " not in " + prometheusText));
  }
}
