package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamMetadata;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The acceptance check for the standalone emulator: {@code java -jar cdc2esdb-dev.jar emulator
 * --port P} listens within a few seconds, prints its connection string, serves a plain
 * db-client-java program, and stops on SIGTERM.
 */
class EmulatorJarIT {

  @Test
  void shouldServeAPlainClientProgramFromTheJar() throws Exception {
    Path jar = Path.of("target", "cdc2esdb-dev.jar");
    assertThat(jar).exists();
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process =
        new ProcessBuilder(java.toString(), "-jar", jar.toString(), "emulator", "--port", "" + port)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      String connectionString =
          CompletableFuture.supplyAsync(() -> readLine(out)).get(20, TimeUnit.SECONDS);
      assertThat(connectionString).isEqualTo("esdb://127.0.0.1:" + port + "?tls=false");

      EventStoreDBClient client =
          EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString));
      try {
        exercise(client);
      } finally {
        client.shutdown().get();
      }
    } finally {
      process.destroy();
      assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
    assertThat(Files.exists(jar)).isTrue();
  }

  private static void exercise(EventStoreDBClient client) throws Exception {
    String stream = "customers-" + UUID.randomUUID().toString().substring(0, 8);
    String gtid = "0-1-" + System.nanoTime();
    LinkedBlockingQueue<ResolvedEvent> live = new LinkedBlockingQueue<>();
    Subscription subscription =
        client
            .subscribeToStream(
                stream,
                new SubscriptionListener() {
                  @Override
                  public void onEvent(Subscription s, ResolvedEvent event) {
                    live.add(event);
                  }
                },
                SubscribeToStreamOptions.get().fromStart())
            .get(10, TimeUnit.SECONDS);

    client
        .appendToStream(
            stream,
            AppendToStreamOptions.get().expectedRevision(ExpectedRevision.noStream()),
            EventDataBuilder.json(UUID.randomUUID(), "Insert", "{\"id\":1}".getBytes())
                .metadataAsBytes(("{\"$correlationId\":\"" + gtid + "\"}").getBytes())
                .build())
        .get(10, TimeUnit.SECONDS);

    assertThat(live.poll(10, TimeUnit.SECONDS)).isNotNull();
    subscription.stop();
    assertThat(client.readStream(stream, ReadStreamOptions.get()).get().getEvents()).hasSize(1);

    StreamMetadata metadata = new StreamMetadata();
    metadata.setMaxCount(5L);
    client.setStreamMetadata(stream, metadata).get();
    assertThat(client.getStreamMetadata(stream).get().getMaxCount()).isEqualTo(5L);

    List<ResolvedEvent> category =
        client
            .readStream("$ce-customers", ReadStreamOptions.get().resolveLinkTos())
            .get()
            .getEvents();
    assertThat(category).anyMatch(e -> e.getEvent().getStreamId().equals(stream));
    List<ResolvedEvent> transaction =
        client
            .readStream("$bc-" + gtid, ReadStreamOptions.get().resolveLinkTos())
            .get()
            .getEvents();
    assertThat(transaction)
        .singleElement()
        .satisfies(e -> assertThat(e.getEvent().getStreamId()).isEqualTo(stream));

    client.deleteStream(stream).get();
    client.tombstoneStream(stream).get();
  }

  private static String readLine(BufferedReader reader) {
    try {
      return reader.readLine();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
