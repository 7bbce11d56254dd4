package io.cdc2esdb.dev.bench;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The design cdc2esdb is measured against: the tutorial's loop that started this project. One
 * consumer; for each record, in order, one synchronous append of one event with a random id and
 * expected revision "any" (so neither ordering across retries nor exactly-once holds), to the
 * stream {@code <table>-<id>}. Tombstones are skipped.
 */
public final class SeedBaseline implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final EventStoreDBClient client;
  private final AtomicLong written = new AtomicLong();
  private volatile boolean running = true;

  public SeedBaseline(String bootstrapServers, String groupId, String connectionString) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    consumer = new KafkaConsumer<>(p);
    client = EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
  }

  public long eventsWritten() {
    return written.get();
  }

  /** Consumes the topics matching {@code topics} until {@link #close}. */
  public void run(Pattern topics) {
    consumer.subscribe(topics);
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() != null) {
            append(record);
          }
        }
      }
    } catch (WakeupException e) {
      // close() asked us to stop
    } finally {
      consumer.close();
    }
  }

  private void append(ConsumerRecord<byte[], byte[]> record) {
    try {
      JsonNode key = Json.read(record.key());
      JsonNode value = Json.read(record.value());
      String op = value.path("op").asText();
      JsonNode row = op.equals("d") ? value.get("before") : value.get("after");
      String stream = value.path("source").path("table").asText() + "-" + key.path("id").asText();
      byte[] metadata =
          Json.bytes(
              Json.object().put("$correlationId", value.path("source").path("gtid").asText()));
      client
          .appendToStream(
              stream,
              AppendToStreamOptions.get().expectedRevision(ExpectedRevision.any()),
              List.of(
                      EventDataBuilder.json(UUID.randomUUID(), type(op), Json.bytes(row))
                          .metadataAsBytes(metadata)
                          .build())
                  .iterator())
          .get();
      written.incrementAndGet();
    } catch (IOException e) {
      throw new IllegalStateException("unreadable record at offset " + record.offset(), e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("append failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private static String type(String op) {
    return switch (op) {
      case "c" -> "Insert";
      case "d" -> "Delete";
      case "r" -> "Snapshot";
      default -> "Update";
    };
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
  }

  /** Shuts the client down once the loop has ended. */
  public void shutdownClient() {
    try {
      client.shutdown().get();
    } catch (ExecutionException e) {
      // nothing to do: the process is ending
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
