package io.cdc2esdb.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.app.Main;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.CaptureReplayer;
import io.cdc2esdb.dev.app.LocalPipeline;
import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendResult;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.EsdbWriter;
import io.cdc2esdb.sink.ReadEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code verify} after the demo's pipeline on the bundled sample (plus one poison record): it
 * matches; and on copies of that EventStoreDB with one event removed, duplicated, moved or added,
 * or on an empty one, it fails naming the stream and the kind. One broker, emulator and cdc2esdb
 * for the class; each tampering goes into its own emulator, so the tests do not disturb each other.
 */
class VerifyIT {

  private static final String TOPIC = "dbserver1.inventory.customers";

  /** The stream of the sample with the most events: the one the tests tamper with. */
  private static String STREAM;

  private static LocalPipeline pipeline;
  private static Map<String, List<ReadEvent>> written;

  @TempDir static Path dir;

  @BeforeAll
  static void runThePipeline() throws IOException {
    List<CaptureRecord> records;
    try (InputStream in = VerifyIT.class.getResourceAsStream("/sample/connect-dump.jsonl")) {
      records = new ArrayList<>(CaptureFile.read(in, "sample"));
    }
    records.add(
        CaptureRecord.ofUtf8(
            TOPIC, 0, CaptureRecord.UNKNOWN, "{\"id\":1}", "{not json", List.of()));
    pipeline = LocalPipeline.start();
    Map<String, Integer> topics = new HashMap<>();
    records.forEach(r -> topics.merge(r.topic(), r.partition() + 1, Math::max));
    pipeline.createTopics(topics);
    CaptureReplayer.replay(pipeline.bootstrapServers(), records);
    pipeline.startCdc2esdb(
        Map.of("topic.prefix", "dbserver1", "transaction.max.wait.ms", "1000"),
        Duration.ofSeconds(60));
    pipeline.awaitCaughtUp(Duration.ofSeconds(120), p -> {});
    written = new LinkedHashMap<>();
    try (EsdbReader reader = EsdbReader.connect(pipeline.esdbConnectionString(), 10_000)) {
      for (String stream : reader.streams()) {
        written.put(stream, reader.read(stream));
      }
    }
    STREAM =
        written.entrySet().stream()
            .max(java.util.Comparator.comparingInt(e -> e.getValue().size()))
            .orElseThrow()
            .getKey();
    assertThat(written.get(STREAM)).hasSizeGreaterThanOrEqualTo(2);
  }

  @AfterAll
  static void stop() {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void shouldMatchWhatThePipelineWroteAndCountTheDeadLetter() throws IOException {
    Path report = dir.resolve("report.json");

    Run run = verify(pipeline.esdbConnectionString(), "--report", report.toString());

    assertThat(run.exitCode).as(run.out).isZero();
    assertThat(run.out)
        .contains("verify: OK:")
        .contains(written.size() + " streams")
        .contains("0 missing, 0 duplicated, 0 out of order, 0 unexpected")
        .contains("1 dead-lettered (malformed-json 1)")
        .contains("0 of " + written.size() + " stream positions differ");
    JsonNode json = Json.read(Files.readAllBytes(report));
    long events = written.values().stream().mapToLong(List::size).sum();
    assertThat(json.get("ok").asBoolean()).isTrue();
    assertThat(json.at("/totals/expected").asLong()).isEqualTo(events);
    assertThat(json.at("/totals/present").asLong()).isEqualTo(events);
    assertThat(json.at("/deadLetters/malformed-json").asLong()).isEqualTo(1);
    assertThat(json.has("streams")).isFalse();
  }

  @Test
  void shouldNameTheStreamWithAMissingEvent() {
    try (EventStoreEmulator copy = copy(STREAM, events -> without(events, 1))) {
      Run run = verify(copy.connectionString());

      assertThat(run.exitCode).as(run.out).isOne();
      assertThat(run.out)
          .contains(STREAM + ": 1 missing", "missing event " + written.get(STREAM).get(1).id());
      assertThat(run.out).contains("verify: DIFFERENT:").contains(", 1 missing,");
    }
  }

  @Test
  void shouldNameTheStreamWithADuplicatedEvent() {
    try (EventStoreEmulator copy =
        copy(STREAM, events -> with(events, events.size(), events.get(0)))) {
      Run run = verify(copy.connectionString());

      assertThat(run.exitCode).as(run.out).isOne();
      assertThat(run.out).contains(STREAM + ": 1 duplicated", ", 1 duplicated,");
    }
  }

  @Test
  void shouldNameTheStreamWithEventsOutOfOrder() {
    try (EventStoreEmulator copy =
        copy(STREAM, events -> with(without(events, 0), 1, events.get(0)))) {
      Run run = verify(copy.connectionString());

      assertThat(run.exitCode).as(run.out).isOne();
      assertThat(run.out).contains(STREAM + ": 1 out of order", ", 1 out of order,");
    }
  }

  @Test
  void shouldNameForeignEventsInOurStreamsAndForeignStreamsOfOurTables() {
    ReadEvent foreign =
        new ReadEvent(STREAM, 0, "Foreign", UUID.randomUUID(), "{}".getBytes(), new byte[0]);
    try (EventStoreEmulator copy = copy(STREAM, events -> with(events, events.size(), foreign))) {
      append(copy, "customers-9999", List.of(foreign));

      Run run = verify(copy.connectionString());

      assertThat(run.exitCode).as(run.out).isOne();
      assertThat(run.out)
          .contains(STREAM + ": 1 unexpected", "unexpected event " + foreign.id())
          .contains("customers-9999: 1 unexpected (not from our input)");
    }
  }

  @Test
  void shouldFindEverythingMissingInAnEmptyEventStore() {
    try (EventStoreEmulator empty = EventStoreEmulator.start(EmulatorOptions.ephemeral())) {
      Run run = verify(empty.connectionString());

      long events = written.values().stream().mapToLong(List::size).sum();
      assertThat(run.exitCode).as(run.out).isOne();
      assertThat(run.out)
          .contains(STREAM + ": " + written.get(STREAM).size() + " missing")
          .contains("stream-positions says revision " + (written.get(STREAM).size() - 1))
          .contains(", 0 present, " + events + " missing,")
          .contains(written.size() + " of " + written.size() + " stream positions differ");
    }
  }

  @Test
  void shouldPrintAStreamAsJsonLines() throws IOException {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute("read", STREAM, "--esdb", pipeline.esdbConnectionString());

    assertThat(exit).isZero();
    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(written.get(STREAM).size());
    JsonNode first = Json.read(lines.get(0).getBytes());
    assertThat(first.get("stream").asText()).isEqualTo(STREAM);
    assertThat(first.get("revision").asLong()).isZero();
    assertThat(first.get("id").asText()).isEqualTo(written.get(STREAM).get(0).id().toString());
    assertThat(first.at("/metadata/source/table").asText()).isEqualTo("customers");
    assertThat(first.get("data").isObject()).isTrue();
  }

  @Test
  void shouldPrintEveryStreamOfAllButTheSystemOnes() {
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    int exit = cli.execute("read", "--all", "--esdb", pipeline.esdbConnectionString());

    assertThat(exit).isZero();
    long events = written.values().stream().mapToLong(List::size).sum();
    assertThat(out.toString().lines())
        .hasSize((int) events)
        .noneMatch(l -> l.contains("\"stream\":\"$"));
  }

  // --- helpers

  private record Run(int exitCode, String out) {}

  private static Run verify(String esdb, String... more) {
    Path config = dir.resolve("verify-" + UUID.randomUUID() + ".properties");
    try {
      Files.writeString(
          config,
          "bootstrap.servers="
              + pipeline.bootstrapServers()
              + "\n"
              + "topic.prefix=dbserver1\n"
              + "esdb.connection.string="
              + esdb
              + "\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    List<String> args =
        new ArrayList<>(List.of("verify", "--config", config.toString(), "--no-progress"));
    args.addAll(List.of(more));
    int exit = cli.execute(args.toArray(String[]::new));
    System.out.print(out); // the report of each run, in the test's output file
    return new Run(exit, out.toString());
  }

  /** A new emulator holding what the pipeline wrote, with {@code stream}'s events changed. */
  private static EventStoreEmulator copy(String stream, UnaryOperator<List<ReadEvent>> change) {
    EventStoreEmulator copy = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    written.forEach(
        (name, events) -> append(copy, name, name.equals(stream) ? change.apply(events) : events));
    return copy;
  }

  /** Appends one event at a time, each at its exact revision: a repeated id is written again. */
  private static void append(EventStoreEmulator to, String stream, List<ReadEvent> events) {
    try (EsdbWriter writer = EsdbWriter.connect(to.connectionString(), 10_000, 1 << 20)) {
      long expected = AppendRequest.NO_STREAM;
      for (ReadEvent e : events) {
        AppendResult result =
            writer
                .append(
                    new AppendRequest(
                        stream,
                        expected,
                        List.of(new ProposedEvent(e.id(), e.type(), e.data(), e.metadata()))))
                .join();
        assertThat(result).isInstanceOf(AppendResult.Success.class);
        expected = ((AppendResult.Success) result).lastRevision();
      }
    }
  }

  private static List<ReadEvent> without(List<ReadEvent> events, int index) {
    List<ReadEvent> copy = new ArrayList<>(events);
    copy.remove(index);
    return copy;
  }

  private static List<ReadEvent> with(List<ReadEvent> events, int index, ReadEvent event) {
    List<ReadEvent> copy = new ArrayList<>(events);
    copy.add(index, event);
    return copy;
  }
}
