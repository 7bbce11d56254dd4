package io.cdc2esdb.verify;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.envelope.EnvelopeException;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.naming.EventIds;
import io.cdc2esdb.naming.StreamRoutes;
import io.cdc2esdb.processing.DeadLetters;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.ReadEvent;
import io.cdc2esdb.sink.StreamPosition;
import io.cdc2esdb.sink.StreamPositionSerde;
import io.cdc2esdb.topology.CdcTopology;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Reconciles cdc2esdb's input with EventStoreDB. Four passes, each streaming:
 *
 * <ol>
 *   <li>the Debezium table topics, parsed, routed and identified exactly as the topology does
 *       ({@link EnvelopeParser}, {@link StreamRoutes}, {@link EventIds}), into the work store: what
 *       each stream should hold, and which records must be dead letters;
 *   <li>the dead-letter topic (by the origin in its headers) and, when it exists, the {@code
 *       stream-positions} changelog (each stream's last recorded revision);
 *   <li>each expected stream: its events in input order, re-deliveries dropped by the same
 *       high-water-mark rule as the append processor ({@link SourcePosition#isAfter}), dead letters
 *       taken out, compared with the stream as EventStoreDB serves it;
 *   <li>{@code $all}, for streams of our tables that nothing in the input implies.
 * </ol>
 */
public final class Verifier {

  private static final int PAGE = 1_000;

  /** What to check beyond the defaults. */
  public record Options(Instant from, String jdbcUrl, Path workDir, Duration timeout) {}

  private final Settings settings;
  private final CdcConfig config;
  private final EsdbReader esdb;
  private final Options options;
  private final Progress progress;
  private final EnvelopeParser parser = new EnvelopeParser();
  private final StreamRoutes routes;
  private final Set<String> rowStreamPrefixes = new HashSet<>();
  private final Set<String> tableStreams = new HashSet<>();
  private final Set<List<String>> tablesSeen = new LinkedHashSet<>();

  public Verifier(Settings settings, EsdbReader esdb, Options options, Progress progress) {
    this.settings = settings;
    this.config = settings.cdc();
    this.esdb = esdb;
    this.options = options;
    this.progress = progress;
    this.routes =
        new StreamRoutes(
            config.streamNaming(),
            config.missingKeyPolicy() == CdcConfig.MissingKeyPolicy.TABLE_STREAM);
  }

  /**
   * Runs every pass, printing differences and the summary line to {@code out} and, when {@code
   * reportFile} is set, the JSON report there. Returns true when everything matches.
   */
  public boolean run(PrintWriter out, Path reportFile) {
    try (VerifyReport report = new VerifyReport(out, reportFile);
        WorkStore store = WorkStore.create(options.workDir());
        TopicScan kafka = new TopicScan(clientProperties(settings.streams()), options.timeout())) {
      readInput(kafka, store, report);
      readDeadLetters(kafka, store, report);
      boolean positions = readPositions(kafka, store, report);
      TableFold fold =
          options.jdbcUrl() == null
              ? null
              : new TableFold(store, routes.naming(), config.eventTypes(), config.eventData());
      compareStreams(store, report, positions, fold);
      if (options.from() == null) {
        findForeignStreams(store, report);
      } else {
        report.note("--from: streams that only hold older events are not looked for");
      }
      checkDeadLetters(store, report);
      if (fold != null) {
        tablesSeen.forEach(t -> fold.table(t.get(0), t.get(1)));
        fold.compareWith(options.jdbcUrl(), report, progress);
      }
      return report.finish();
    }
  }

  private void readInput(TopicScan kafka, WorkStore store, VerifyReport report) {
    List<String> topics = kafka.topics(config.dataTopicsPattern());
    TopicScan.Range range = kafka.range(topics, options.from());
    VerifyReport.Totals t = report.totals();
    try (Progress.Bar bar = progress.bar("input", range.records())) {
      kafka.read(
          range,
          record -> {
            t.inputRecords++;
            Origin origin =
                new Origin(record.topic(), record.partition(), record.offset(), record.timestamp());
            try {
              ParsedRecord parsed = parser.parse(origin, record.key(), record.value());
              if (parsed instanceof ParsedRecord.Change change) {
                t.changes++;
                StreamRoutes.Route route = routes.route(change.event());
                if (route instanceof StreamRoutes.ToStream to) {
                  var event = change.event();
                  remember(event.source());
                  store.put(
                      WorkStore.Key.of(WorkStore.EXPECTED)
                          .text(to.stream())
                          .text(record.topic())
                          .int32(record.partition())
                          .int64(record.offset())
                          .bytes(),
                      expectedValue(EventIds.eventId(event), event.source()));
                } else {
                  mustDeadLetter(store, record, DeadLetterCode.MISSING_KEY.code());
                }
              } else if (parsed instanceof ParsedRecord.Tombstone) {
                t.tombstones++;
              } else {
                t.ignored++;
              }
            } catch (EnvelopeException e) {
              mustDeadLetter(store, record, e.code().code());
            }
          },
          bar::step);
    }
  }

  private static void mustDeadLetter(
      WorkStore store, ConsumerRecord<byte[], byte[]> record, String code) {
    store.put(
        originKey(WorkStore.MUST_DEAD_LETTER, record.topic(), record.partition(), record.offset()),
        code.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] originKey(byte kind, String topic, int partition, long offset) {
    return WorkStore.Key.of(kind).text(topic).int32(partition).int64(offset).bytes();
  }

  private void readDeadLetters(TopicScan kafka, WorkStore store, VerifyReport report) {
    String topic = config.deadLetterTopic();
    if (!kafka.exists(topic)) {
      report.note("dead-letter topic " + topic + " does not exist");
      return;
    }
    TopicScan.Range range = kafka.range(List.of(topic), null);
    try (Progress.Bar bar = progress.bar("dead letters", range.records())) {
      kafka.read(
          range,
          record -> {
            String code = header(record, DeadLetters.ERROR_CODE);
            String originTopic = header(record, DeadLetters.TOPIC);
            String partition = header(record, DeadLetters.PARTITION);
            String offset = header(record, DeadLetters.OFFSET);
            // Dead letters of topics verify does not read (another prefix) are not its business.
            if (originTopic == null || config.dataTopicsPattern().matcher(originTopic).matches()) {
              report.deadLetter(code);
            }
            if (originTopic != null && partition != null && offset != null) {
              store.put(
                  originKey(
                      WorkStore.DEAD_LETTERED,
                      originTopic,
                      Integer.parseInt(partition),
                      Long.parseLong(offset)),
                  (code == null ? "" : code).getBytes(StandardCharsets.UTF_8));
            }
          },
          bar::step);
    }
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** Reads each stream's last recorded revision from the changelog, when it is there. */
  private boolean readPositions(TopicScan kafka, WorkStore store, VerifyReport report) {
    String appId = settings.streams().getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
    String changelog = appId + "-" + CdcTopology.POSITIONS_STORE + "-changelog";
    if (!kafka.exists(changelog)) {
      report.note("no " + changelog + " topic: stream-positions not compared");
      return false;
    }
    Deserializer<StreamPosition> positions = StreamPositionSerde.serde().deserializer();
    TopicScan.Range range = kafka.range(List.of(changelog), null);
    try (Progress.Bar bar = progress.bar("stream-positions", range.records())) {
      kafka.read(
          range,
          record -> {
            byte[] key =
                WorkStore.Key.of(WorkStore.POSITION)
                    .text(new String(record.key(), StandardCharsets.UTF_8))
                    .bytes();
            if (record.value() == null) {
              store.delete(key);
            } else {
              StreamPosition position = positions.deserialize(changelog, record.value());
              store.put(key, ByteBuffer.allocate(8).putLong(position.lastRevision()).array());
            }
          },
          bar::step);
    }
    return true;
  }

  private void compareStreams(
      WorkStore store, VerifyReport report, boolean positions, TableFold fold) {
    try (Progress.Bar bar = progress.bar("streams", -1)) {
      StreamGroup group = new StreamGroup();
      store.scan(
          new byte[] {WorkStore.EXPECTED},
          (key, value) -> {
            WorkStore.KeyReader reader = new WorkStore.KeyReader(key);
            String stream = reader.text();
            String topic = reader.text();
            int partition = reader.int32();
            long offset = reader.int64();
            if (!stream.equals(group.stream)) {
              if (group.stream != null) {
                finishStream(group, store, report, positions, fold);
                bar.step(1);
              }
              group.reset(stream);
            }
            group.add(store, report, topic, partition, offset, value);
          });
      if (group.stream != null) {
        finishStream(group, store, report, positions, fold);
        bar.step(1);
      }
    }
  }

  /** One stream's expected events as the scan over the work store collects them. */
  private static final class StreamGroup {
    String stream;
    SourcePosition mark;
    final List<StreamCheck.Expected> expected = new ArrayList<>();

    void reset(String name) {
      stream = name;
      mark = null;
      expected.clear();
    }

    void add(
        WorkStore store,
        VerifyReport report,
        String topic,
        int partition,
        long offset,
        byte[] value) {
      ByteBuffer buffer = ByteBuffer.wrap(value);
      UUID id = new UUID(buffer.getLong(), buffer.getLong());
      SourcePosition source;
      try {
        source = Json.MAPPER.readValue(value, 16, value.length - 16, SourcePosition.class);
      } catch (IOException e) {
        throw new IllegalStateException("verify's work store holds an unreadable value", e);
      }
      // The append processor skips a change at or below the stream's high-water mark: a
      // re-delivery of something already handled, under new offsets.
      if (mark != null && !source.isAfter(mark)) {
        report.totals().redelivered++;
        return;
      }
      mark = source;
      if (store.get(originKey(WorkStore.DEAD_LETTERED, topic, partition, offset)) != null) {
        return; // dead-lettered on the way (too large, conflict, tombstoned stream): counted there
      }
      expected.add(new StreamCheck.Expected(id, source.describe()));
    }
  }

  private static byte[] expectedValue(UUID id, SourcePosition source) {
    try {
      byte[] json = Json.MAPPER.writeValueAsBytes(source);
      return ByteBuffer.allocate(16 + json.length)
          .putLong(id.getMostSignificantBits())
          .putLong(id.getLeastSignificantBits())
          .put(json)
          .array();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void finishStream(
      StreamGroup group, WorkStore store, VerifyReport report, boolean positions, TableFold fold) {
    List<StreamCheck.Present> present = new ArrayList<>();
    readStream(
        group.stream,
        e -> {
          present.add(new StreamCheck.Present(e.revision(), e.id(), e.type(), beforeWindow(e)));
          if (fold != null) {
            fold.event(group.stream, e);
          }
        });
    StreamCheck.Result result = StreamCheck.compare(group.stream, group.expected, present);
    Long positionRevision = null;
    if (positions) {
      byte[] stored = store.get(WorkStore.Key.of(WorkStore.POSITION).text(group.stream).bytes());
      positionRevision = stored == null ? -1L : ByteBuffer.wrap(stored).getLong();
    }
    report.stream(result, positionRevision);
  }

  private void readStream(String stream, Consumer<ReadEvent> onEvent) {
    long from = 0;
    while (true) {
      List<ReadEvent> page = esdb.page(stream, from, PAGE, false);
      page.forEach(onEvent);
      if (page.size() < PAGE) {
        return;
      }
      from = page.get(page.size() - 1).revision() + 1;
    }
  }

  /** An event whose Kafka record is older than {@code --from}: outside what was read. */
  private boolean beforeWindow(ReadEvent event) {
    if (options.from() == null || event.metadata() == null || event.metadata().length == 0) {
      return false;
    }
    try {
      JsonNode timestamp = Json.read(event.metadata()).at("/kafka/timestamp");
      return timestamp.canConvertToLong() && timestamp.asLong() < options.from().toEpochMilli();
    } catch (IOException e) {
      return false;
    }
  }

  /** Streams in EventStoreDB that look like ours (a table we read) but nothing implies. */
  private void findForeignStreams(WorkStore store, VerifyReport report) {
    Set<String> foreign = new HashSet<>();
    EsdbReader.AllCursor cursor = EsdbReader.AllCursor.START;
    String lastChecked = null;
    try (Progress.Bar bar = progress.bar("$all", -1)) {
      while (true) {
        EsdbReader.AllPage page = esdb.allPage(cursor, PAGE);
        for (ReadEvent e : page.events()) {
          String stream = e.stream();
          if (stream.startsWith("$") || stream.equals(lastChecked) || foreign.contains(stream)) {
            continue;
          }
          lastChecked = stream;
          if (ours(stream)
              && !store.hasPrefix(WorkStore.Key.of(WorkStore.EXPECTED).text(stream).bytes())) {
            foreign.add(stream);
          }
        }
        bar.step(page.events().size());
        cursor = page.next();
        if (page.end()) {
          break;
        }
      }
    }
    for (String stream : foreign.stream().sorted().toList()) {
      List<StreamCheck.Present> present = new ArrayList<>();
      readStream(
          stream, e -> present.add(new StreamCheck.Present(e.revision(), e.id(), e.type(), false)));
      if (!present.isEmpty()) {
        report.totals().foreignStreams++;
        report.stream(StreamCheck.compare(stream, List.of(), present), null);
      }
    }
  }

  /** Notes the table's streams: its own, and the prefix of its rows' (the name with no key). */
  private void remember(SourcePosition source) {
    var naming = routes.naming();
    tablesSeen.add(List.of(source.db() == null ? "" : source.db(), source.table()));
    if (tableStreams.add(naming.tableStreamName(source.db(), source.table()))) {
      rowStreamPrefixes.add(
          naming.streamName(source.db(), source.table(), Json.object().put("key", "")));
    }
  }

  private boolean ours(String stream) {
    if (tableStreams.contains(stream)) {
      return true;
    }
    for (String prefix : rowStreamPrefixes) {
      if (stream.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  private void checkDeadLetters(WorkStore store, VerifyReport report) {
    store.scan(
        new byte[] {WorkStore.MUST_DEAD_LETTER},
        (key, value) -> {
          WorkStore.KeyReader reader = new WorkStore.KeyReader(key);
          String topic = reader.text();
          int partition = reader.int32();
          long offset = reader.int64();
          if (store.get(originKey(WorkStore.DEAD_LETTERED, topic, partition, offset)) == null) {
            report.deadLetterMissing(
                topic + "-" + partition + "@" + offset, new String(value, StandardCharsets.UTF_8));
          }
        });
  }

  /** The Kafka client settings of the configuration (bootstrap, security), for a plain consumer. */
  static Properties clientProperties(Properties streams) {
    Properties client = new Properties();
    Set<String> names = ConsumerConfig.configNames();
    streams.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          if (names.contains(key)) {
            client.put(key, v);
          }
        });
    streams.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          for (String prefix :
              List.of(StreamsConfig.CONSUMER_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX)) {
            if (key.startsWith(prefix) && names.contains(key.substring(prefix.length()))) {
              client.put(key.substring(prefix.length()), v);
            }
          }
        });
    client.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    return client;
  }
}
