package io.cdc2esdb.dev.bench;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.dev.proc.ProcStats;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.event.EventMapper;
import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.naming.StreamNaming;
import io.cdc2esdb.sink.AppendMode;
import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendSettings;
import io.cdc2esdb.sink.BatchAppender;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.EventStoreWriters;
import io.cdc2esdb.sink.FlushOutcome;
import io.cdc2esdb.sink.StreamBatch;
import io.cdc2esdb.sink.StreamOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The two raw limits cdc2esdb is held against, each measured in this (the benchmark's) JVM: (i)
 * consume the table topic with a plain consumer and turn every record into the event cdc2esdb would
 * append, with the project's own parser and mapper; (ii) append those events straight to
 * EventStoreDB, without Kafka, with the pipeline's batching (whole transactions up to {@code
 * flush.max.events} a flush, one append per stream per flush, {@code esdb.max.inflight.appends} in
 * flight, exact expected revisions). The pipeline cannot be faster than the slower of the two.
 */
final class RawLimits {

  /** What one raw path did: events, wall time, and this JVM's CPU over that time. */
  record Result(String name, long events, double seconds, long cpuNanos) {
    double eventsPerSecond() {
      return events / seconds;
    }

    double cpuMicrosPerEvent() {
      return cpuNanos / 1e3 / events;
    }
  }

  /** One transaction's events, mapped as the pipeline maps them, keyed by their stream. */
  record MappedTransaction(List<String> streams, List<ProposedEvent> events) {}

  private RawLimits() {}

  /** (i) Reads {@code events} change events from the table topic and maps each one. */
  static Result consumeAndParse(String bootstrapServers, String topic, long events, CdcConfig cdc) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-raw-consume-" + System.nanoTime());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    EnvelopeParser parser = new EnvelopeParser();
    EventMapper mapper = new EventMapper(cdc.eventTypes(), cdc.eventData());
    StreamNaming naming = cdc.streamNaming();
    long parsed = 0;
    long checksum = 0;
    // Timed from the first record on: joining the group and finding the offsets is start-up.
    long cpuBefore = 0;
    long started = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      consumer.subscribe(Pattern.compile(Pattern.quote(topic)));
      long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
      while (parsed < events) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("consumed only " + parsed + " of " + events);
        }
        var polled = consumer.poll(Duration.ofMillis(200));
        if (started == 0 && !polled.isEmpty()) {
          cpuBefore = selfCpu();
          started = System.nanoTime();
        }
        for (ConsumerRecord<byte[], byte[]> r : polled) {
          ParsedRecord record =
              parser.parse(
                  new Origin(r.topic(), r.partition(), r.offset(), r.timestamp()),
                  r.key(),
                  r.value());
          if (record instanceof ParsedRecord.Change change) {
            ChangeEvent e = change.event();
            String stream = naming.streamName(e.source().db(), e.source().table(), e.key());
            ProposedEvent event = mapper.map(e, null);
            checksum += stream.length() + event.data().length; // keep the work observable
            parsed++;
          }
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    if (checksum == 0) {
      throw new IllegalStateException("nothing was parsed");
    }
    return new Result("(i) consume + parse", parsed, seconds, selfCpu() - cpuBefore);
  }

  /** The first {@code events} events of a workload, mapped, one entry per transaction. */
  static List<MappedTransaction> mapped(
      Workload workload, DebeziumShape shape, long events, CdcConfig cdc) {
    EnvelopeParser parser = new EnvelopeParser();
    EventMapper mapper = new EventMapper(cdc.eventTypes(), cdc.eventData());
    StreamNaming naming = cdc.streamNaming();
    List<MappedTransaction> out = new ArrayList<>();
    long now = System.currentTimeMillis();
    long count = 0;
    while (workload.hasNext() && count < events) {
      Workload.Transaction txn = workload.next();
      List<String> streams = new ArrayList<>();
      List<ProposedEvent> mappedEvents = new ArrayList<>();
      for (ProducerRecord<byte[], byte[]> r : shape.records(txn, now)) {
        if (!r.topic().equals(shape.tableTopic()) || r.value() == null) {
          continue;
        }
        if (parser.parse(new Origin(r.topic(), 0, count, now), r.key(), r.value())
            instanceof ParsedRecord.Change change) {
          ChangeEvent e = change.event();
          streams.add(naming.streamName(e.source().db(), e.source().table(), e.key()));
          mappedEvents.add(mapper.map(e, (long) txn.changes().size()));
          count++;
        }
      }
      out.add(new MappedTransaction(streams, mappedEvents));
    }
    return out;
  }

  /**
   * (ii) Appends the mapped transactions to EventStoreDB, flush by flush, one flush at a time, as
   * one task of the pipeline does: per stream (one append per stream per flush) or, in transaction
   * mode, as the pipeline's atomic multi-stream appends.
   */
  static Result appendDirect(List<MappedTransaction> transactions, CdcConfig cdc) {
    AppendSettings settings =
        new AppendSettings(
            cdc.esdbMaxInflightAppends(),
            Duration.ofMillis(cdc.esdbRetryBackoffMs()),
            Duration.ofMillis(cdc.esdbRetryBackoffMaxMs()),
            Duration.ofMillis(cdc.esdbRetryTimeoutMs()));
    int flushMax = cdc.flushMaxEvents();
    Map<String, Long> revisions = new HashMap<>();
    long events = 0;
    long cpuBefore = selfCpu();
    long started = System.nanoTime();
    try (EventStoreWriter writer =
        EventStoreWriters.connect(
            cdc.esdbConnectionString().value(), cdc.esdbDeadlineMs(), cdc.esdbMaxAppendBytes())) {
      BatchAppender appender = new BatchAppender(writer, settings, cdc.appendMode());
      boolean atomic = appender.mode().join() == AppendMode.TRANSACTION;
      List<MappedTransaction> flush = new ArrayList<>();
      int inFlush = 0;
      for (int t = 0; t < transactions.size(); t++) {
        flush.add(transactions.get(t));
        inFlush += transactions.get(t).events().size();
        if (inFlush >= flushMax || t == transactions.size() - 1) {
          events += append(appender, atomic, flush, revisions);
          flush.clear();
          inFlush = 0;
        }
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result("(ii) append direct", events, seconds, selfCpu() - cpuBefore);
  }

  private static long append(
      BatchAppender appender,
      boolean atomic,
      List<MappedTransaction> flush,
      Map<String, Long> revisions) {
    long events = 0;
    FlushOutcome outcome;
    if (atomic) {
      List<List<StreamBatch>> txns = new ArrayList<>(flush.size());
      for (MappedTransaction txn : flush) {
        txns.add(batches(perStream(List.of(txn)), revisions));
        events += txn.events().size();
      }
      outcome = BatchAppender.join(appender.appendTransactions(txns));
    } else {
      List<StreamBatch> batches = batches(perStream(flush), revisions);
      for (StreamBatch b : batches) {
        events += b.events().size();
      }
      outcome = BatchAppender.join(appender.appendStreams(batches));
    }
    for (StreamOutcome o : outcome.streams().values()) {
      if (!o.deadLetters().isEmpty()) {
        throw new IllegalStateException(
            "direct append dead-lettered events of " + o.stream() + ": " + o.deadLetters());
      }
      revisions.put(o.stream(), o.lastRevision());
    }
    return events;
  }

  /** Each stream's events of these transactions, in order, streams in first-seen order. */
  private static Map<String, List<ProposedEvent>> perStream(List<MappedTransaction> txns) {
    Map<String, List<ProposedEvent>> byStream = new LinkedHashMap<>();
    for (MappedTransaction txn : txns) {
      for (int i = 0; i < txn.events().size(); i++) {
        byStream
            .computeIfAbsent(txn.streams().get(i), s -> new ArrayList<>())
            .add(txn.events().get(i));
      }
    }
    return byStream;
  }

  private static List<StreamBatch> batches(
      Map<String, List<ProposedEvent>> byStream, Map<String, Long> revisions) {
    List<StreamBatch> batches = new ArrayList<>(byStream.size());
    for (Map.Entry<String, List<ProposedEvent>> e : byStream.entrySet()) {
      batches.add(
          new StreamBatch(
              e.getKey(),
              revisions.getOrDefault(e.getKey(), AppendRequest.NO_STREAM),
              e.getValue()));
    }
    return batches;
  }

  private static long selfCpu() {
    return ProcStats.of(ProcessHandle.current().pid()).cpuNanos();
  }
}
