package io.cdc2esdb.dev.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.processing.DeadLetters;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.ReadEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a demo run wrote, as {@code --summary} saves it: every non-system stream with its events in
 * revision order (data and metadata as parsed JSON), the dead letters, and the counts.
 */
public record DemoSummary(
    Map<String, List<Event>> streams, List<DeadLetter> deadLetters, Counts counts) {

  /** One event as EventStoreDB holds it. */
  public record Event(long revision, String type, String id, JsonNode data, JsonNode metadata) {}

  /** A record of the dead-letter topic, named by where it came from. */
  public record DeadLetter(String topic, int partition, long offset, String error) {}

  /**
   * @param read data records cdc2esdb processed
   * @param written events it appended
   * @param deadLettered records on the dead-letter topic
   * @param tombstones Debezium's delete tombstones, which it drops
   */
  public record Counts(long read, long written, long deadLettered, long tombstones) {}

  /** Reads every non-system stream back; streams sorted by name. */
  static DemoSummary collect(EsdbReader reader, List<CaptureRecord> deadLetterRecords, Counts c) {
    Map<String, List<Event>> streams = new TreeMap<>();
    for (String stream : reader.streams()) {
      List<Event> events = new ArrayList<>();
      for (ReadEvent e : reader.read(stream)) {
        events.add(
            new Event(
                e.revision(), e.type(), e.id().toString(), parse(e.data()), parse(e.metadata())));
      }
      streams.put(stream, events);
    }
    List<DeadLetter> deadLetters = new ArrayList<>();
    for (CaptureRecord record : deadLetterRecords) {
      deadLetters.add(
          new DeadLetter(
              header(record, DeadLetters.TOPIC),
              (int) number(record, DeadLetters.PARTITION),
              number(record, DeadLetters.OFFSET),
              header(record, DeadLetters.ERROR_CODE)));
    }
    return new DemoSummary(streams, deadLetters, c);
  }

  /** The JSON of {@code --summary}. */
  public void write(Path file) {
    try {
      Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  // Everything cdc2esdb writes is JSON; anything else is shown as its text rather than lost.
  static JsonNode parse(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return NullNode.getInstance();
    }
    try {
      return Json.read(bytes);
    } catch (IOException e) {
      return new TextNode(new String(bytes, StandardCharsets.UTF_8));
    }
  }

  private static String header(CaptureRecord record, String name) {
    CaptureRecord.Header header = record.lastHeader(name);
    return header == null ? null : header.valueUtf8();
  }

  private static long number(CaptureRecord record, String name) {
    String text = header(record, name);
    try {
      return text == null ? -1 : Long.parseLong(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
