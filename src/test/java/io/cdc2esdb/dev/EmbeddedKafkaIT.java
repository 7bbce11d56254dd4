package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaIT {

  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startBroker() {
    kafka = EmbeddedKafka.start();
  }

  @AfterAll
  static void stopBroker() {
    Path dir = kafka.directory();
    kafka.close();
    assertThat(dir).doesNotExist();
  }

  @Test
  void shouldListenOnLoopbackOnly() throws Exception {
    assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:");
    Assumptions.assumeTrue(ListeningSockets.supported(), "needs Linux /proc");

    List<String> listening = ListeningSockets.of(ProcessHandle.current().pid());

    // The broker and its controller; nothing else in this JVM listens.
    assertThat(listening).hasSize(2).allMatch(address -> address.startsWith("127.0.0.1:"));
    assertThat(listening).contains(kafka.bootstrapServers());
  }

  @Test
  void shouldRoundTripARecordWithHeadersThroughTheBroker() throws Exception {
    kafka.createTopics(3, "round-trip");
    RecordMetadata sent;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> record =
          new ProducerRecord<>("round-trip", 2, "{\"id\":1}", "{\"op\":\"c\"}");
      record.headers().add("h", "v".getBytes(StandardCharsets.UTF_8));
      sent = producer.send(record).get();
    }

    List<ConsumerRecord<String, String>> received = consumeAll("round-trip", 1);

    assertThat(sent.partition()).isEqualTo(2);
    assertThat(received).hasSize(1);
    ConsumerRecord<String, String> only = received.get(0);
    assertThat(only.partition()).isEqualTo(2);
    assertThat(only.key()).isEqualTo("{\"id\":1}");
    assertThat(only.value()).isEqualTo("{\"op\":\"c\"}");
    assertThat(new String(only.headers().lastHeader("h").value(), StandardCharsets.UTF_8))
        .isEqualTo("v");
  }

  @Test
  void shouldCreateTopicsWithTheRequestedPartitionsAndToleratePresentOnes() throws Exception {
    kafka.createTopics(4, "four", "four-too");
    kafka.createTopics(4, "four");

    try (Admin admin = Admin.create(kafka.clientProperties())) {
      var topics = admin.describeTopics(Set.of("four", "four-too")).allTopicNames().get();
      assertThat(topics.values())
          .extracting(TopicDescription::partitions)
          .allSatisfy(partitions -> assertThat(partitions).hasSize(4));
    }
  }

  @Test
  void shouldKeepItsDirectoryInTheRunDirectoryWhenGivenOne() throws Exception {
    Path runDir = Files.createTempDirectory("cdc2esdb-kafka-it-");
    Path logs;
    try (EmbeddedKafka second = EmbeddedKafka.builder().directory(runDir).start()) {
      logs = second.directory();
      assertThat(logs).isEqualTo(runDir.resolve("kafka"));
    }
    assertThat(logs.resolve("logs/meta.properties")).exists();
    Directories.deleteRecursively(runDir);
  }

  private static List<ConsumerRecord<String, String>> consumeAll(String topic, int expected) {
    Properties props = kafka.clientProperties();
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
