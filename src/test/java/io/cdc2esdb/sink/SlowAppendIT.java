package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.CaptureReplayer;
import io.cdc2esdb.dev.EmbeddedKafka;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.topology.CdcTopology;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An EventStoreDB that takes longer to answer each append than the producer's transaction timeout
 * must not fence the producer: the stream thread goes on committing while the append is in flight.
 * A real broker, the real topology, the captured MariaDB session; appends answered by an in-memory
 * store after {@link #ANSWER_DELAY}, twice the {@link #TRANSACTION_TIMEOUT}.
 */
class SlowAppendIT {

  private static final Duration TRANSACTION_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration ANSWER_DELAY = TRANSACTION_TIMEOUT.multipliedBy(2);
  private static final String DUMP = "/fixtures/debezium-mariadb-3.5/connect-dump.jsonl";

  private static EmbeddedKafka kafka;
  private static List<CaptureRecord> records;

  @TempDir static Path tmp;

  @BeforeAll
  static void start() throws IOException {
    kafka = EmbeddedKafka.start();
    try (InputStream in = SlowAppendIT.class.getResourceAsStream(DUMP)) {
      records = CaptureFile.read(in, DUMP);
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"transaction", "per-stream"})
  void shouldNotFenceTheProducerWhenEachAppendOutlastsTheTransactionTimeout(String mode)
      throws Exception {
    String prefix = "slow" + mode.replace("-", "");
    Map<String, Integer> topics = new HashMap<>();
    List<CaptureRecord> renamed = records.stream().map(r -> rename(r, prefix)).toList();
    renamed.forEach(r -> topics.put(r.topic(), 1));
    topics.put(prefix + "-dead-letter", 1);
    ReadyTopics.create(kafka.bootstrapServers(), topics);

    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", kafka.bootstrapServers());
    props.put("application.id", "cdc2esdb-" + prefix);
    props.put("state.dir", Files.createDirectories(tmp.resolve(prefix)).toString());
    props.put("topic.prefix", prefix);
    props.put("dead.letter.topic", prefix + "-dead-letter");
    props.put("esdb.append.mode", mode);
    props.put("commit.interval.ms", "100");
    props.put("producer.transaction.timeout.ms", String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
    Settings settings = Settings.of(props);

    InMemoryEventStore store = new InMemoryEventStore();
    SlowWriter slow = new SlowWriter(store);
    List<Throwable> failures = new CopyOnWriteArrayList<>();
    List<KafkaStreams.State> states = new CopyOnWriteArrayList<>();
    try (KafkaStreams streams =
        new KafkaStreams(CdcTopology.build(settings.cdc(), slow), settings.streams())) {
      streams.setUncaughtExceptionHandler(
          e -> {
            failures.add(e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
          });
      streams.setStateListener((now, before) -> states.add(now));
      streams.start();
      CaptureReplayer.replay(kafka.bootstrapServers(), renamed);

      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (store.totalEvents() < 53 && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(store.totalEvents()).isEqualTo(53);
      assertThat(slow.answered.get()).isGreaterThanOrEqualTo(2);
      assertThat(failures).isEmpty();
      // Fenced, the producer's task would migrate: a rebalance after running.
      int firstRunning = states.indexOf(KafkaStreams.State.RUNNING);
      assertThat(firstRunning).isNotNegative();
      assertThat(states.subList(firstRunning, states.size()))
          .containsOnly(KafkaStreams.State.RUNNING);
      assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
    }
  }

  private static CaptureRecord rename(CaptureRecord r, String prefix) {
    return new CaptureRecord(
        r.topic().replaceFirst("^dbserver1", prefix),
        r.partition(),
        r.offset(),
        r.timestamp(),
        r.key(),
        r.value(),
        r.headers());
  }

  /** Answers every append after {@link #ANSWER_DELAY}. */
  private static final class SlowWriter implements EventStoreWriter {
    private final InMemoryEventStore delegate;
    final AtomicInteger answered = new AtomicInteger();

    SlowWriter(InMemoryEventStore delegate) {
      this.delegate = delegate;
    }

    private <T> CompletableFuture<T> late(Supplier<CompletableFuture<T>> call) {
      return CompletableFuture.supplyAsync(
          () -> {
            answered.incrementAndGet();
            return call.get().join();
          },
          CompletableFuture.delayedExecutor(ANSWER_DELAY.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public CompletableFuture<AppendResult> append(AppendRequest request) {
      return late(() -> delegate.append(request));
    }

    @Override
    public CompletableFuture<SessionResult> appendSession(List<AppendRequest> requests) {
      return late(() -> delegate.appendSession(requests));
    }

    @Override
    public CompletableFuture<Boolean> supportsAppendSession() {
      return delegate.supportsAppendSession();
    }

    @Override
    public CompletableFuture<List<StoredEvent>> read(String stream, long from, int max) {
      return delegate.read(stream, from, max);
    }

    @Override
    public void close() {}
  }
}
