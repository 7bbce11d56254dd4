package io.cdc2esdb.dev.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.proc.JavaProcess;
import io.cdc2esdb.dev.proc.ProcessStack;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.processing.FaultInjection;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.verify.Progress;
import io.cdc2esdb.verify.Verifier;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The fault suite: a broker, the EventStoreDB emulator and cdc2esdb instances as separate processes
 * on loopback ({@link ProcessStack}), a steady Debezium-shaped load, faults injected while it runs,
 * and every scenario judged by {@code verify} once cdc2esdb has caught up. Each scenario writes its
 * own table (topic), and verify reads only that topic, so a row of the result is that scenario's
 * alone while the instances run on across scenarios.
 */
public final class FaultSuite implements AutoCloseable {

  static final String PREFIX = "faults";
  private static final List<String> HEAP = List.of("-Xmx384m", "-XX:+UseSerialGC");
  private static final int ROWS = 500;

  /** One line of the result table. */
  public record Row(
      String scenario,
      String load,
      String faults,
      long expected,
      long written,
      long lost,
      long duplicated,
      long reordered,
      long deadLetters,
      String deadLetterCodes,
      double catchUpSeconds,
      boolean verified,
      String note) {}

  private final ProcessStack stack;
  private final PrintStream log;
  private final Random random = new Random(12);
  private final ProcessStack.Broker broker;
  private final ProcessStack.Emulator emulator;
  private final Map<String, String> settings = new HashMap<>();
  private final List<JavaProcess> instances = new ArrayList<>();
  private final Duration catchUpTimeout;
  private int verifyRuns;

  private FaultSuite(ProcessStack stack, PrintStream log, Duration catchUpTimeout) {
    this.stack = stack;
    this.log = log;
    this.catchUpTimeout = catchUpTimeout;
    this.broker = stack.startBroker("broker", HEAP);
    this.emulator = stack.startEmulator("emulator", List.of(), HEAP);
    settings.put("bootstrap.servers", broker.bootstrapServers());
    settings.put("esdb.connection.string", emulator.connectionString());
    settings.put("topic.prefix", PREFIX);
    // Topics appear as scenarios begin: find them within a second.
    settings.put("metadata.max.age.ms", "1000");
    settings.put("esdb.retry.timeout.ms", "600000");
    ReadyTopics.create(
        broker.bootstrapServers(),
        Map.of(PREFIX + ".transaction", 1, PREFIX, 1, "cdc2esdb-dead-letter", 1));
  }

  /** Starts the broker and the emulator under {@code work}; instances start with the first row. */
  public static FaultSuite start(
      Path work, ProcessStack.Jars jars, PrintStream log, Duration catchUpTimeout) {
    ProcessStack stack = ProcessStack.in(work, jars).startTimeout(Duration.ofSeconds(180));
    try {
      return new FaultSuite(stack, log, catchUpTimeout);
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  /** Makes sure {@code count} instances run (cdc2esdb-1 .. cdc2esdb-N). */
  public void instances(int count) {
    while (instances.size() < count) {
      instances.add(startInstance(instances.size(), List.of()));
    }
  }

  private JavaProcess startInstance(int index, List<String> jvmOptions) {
    List<String> options = new ArrayList<>(HEAP);
    options.addAll(jvmOptions);
    JavaProcess process = stack.startCdc2esdb("cdc2esdb-" + (index + 1), settings, options);
    log.printf("  started %s (pid %d)%n", process.name(), process.pid());
    return process;
  }

  /**
   * {@code kills} times: wait a random moment of the load, then kill -9 an instance (every {@code
   * afterAckEvery}-th time instead let it halt itself right after an acknowledged append), and
   * start it again on its state.
   */
  public Row kills(String table, long changes, int perSecond, int kills, int afterAckEvery)
      throws InterruptedException {
    int afterAck = 0;
    try (FaultLoad load = load(table)) {
      load.start(changes, 0, perSecond);
      for (int k = 1; k <= kills; k++) {
        int index = random.nextInt(instances.size());
        if (afterAckEvery > 0 && k % afterAckEvery == 0) {
          afterAck++;
          haltAfterAck(index, 1 + random.nextInt(20));
        } else {
          Thread.sleep(1_000 + random.nextInt(3_000));
          instances.get(index).kill();
          log.printf("  kill -9 %s%n", instances.get(index).name());
          instances.set(index, startInstance(index, List.of()));
        }
      }
      load.await();
      return judge(
          "kill -9 during load",
          table,
          changes + " changes at " + perSecond + "/s",
          (kills - afterAck)
              + " random kill -9, "
              + afterAck
              + " halts right after an acknowledged append",
          load);
    }
  }

  private void haltAfterAck(int index, int acks) throws InterruptedException {
    instances.get(index).stop(Duration.ofSeconds(30));
    JavaProcess halting =
        startInstance(index, List.of("-D" + FaultInjection.HALT_AFTER_ACKS + "=" + acks));
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (halting.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    int status = halting.kill();
    log.printf(
        "  %s halted after acknowledged append #%d (exit %d)%n", halting.name(), acks, status);
    if (status != FaultInjection.HALT_STATUS) {
      throw new IllegalStateException(
          halting.name() + " did not halt at the injection point (exit " + status + ")");
    }
    instances.set(index, startInstance(index, List.of()));
  }

  /** EventStoreDB killed for {@code outage} during load, then restarted on its data. */
  public Row outage(String table, long changes, int perSecond, Duration outage)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      load.start(changes, 0, perSecond);
      Thread.sleep(2_000);
      emulator.kill();
      log.printf("  EventStoreDB down for %d s%n", outage.toSeconds());
      Thread.sleep(outage.toMillis());
      emulator.restart();
      load.await();
      return judge(
          "EventStoreDB outage",
          table,
          changes + " changes at " + perSecond + "/s",
          "EventStoreDB killed for " + outage.toSeconds() + " s, restarted on its data",
          load);
    }
  }

  /** {@code poison} malformed records of every kind among {@code changes}; no other fault. */
  public Row poison(String table, long changes, int poison, int perSecond)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      load.start(changes, poison, perSecond);
      load.await();
      return judge(
          poison == 0 ? "baseline (no fault)" : "poison records",
          table,
          changes
              + " changes"
              + (poison == 0 ? "" : " + " + poison + " poison")
              + " at "
              + perSecond
              + "/s",
          poison == 0
              ? "none"
              : poison + " malformed (" + String.join(", ", FaultLoad.POISON_KINDS) + ")",
          load);
    }
  }

  /** A slice produced again under new offsets, and an instance restarted in the middle. */
  public Row redelivery(String table, long changes, int perSecond, long slice)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      load.start(changes, 0, perSecond);
      load.await();
      long again = load.redeliver(slice);
      int index = random.nextInt(instances.size());
      instances.get(index).kill();
      instances.set(index, startInstance(index, List.of()));
      return judge(
          "Debezium re-delivery",
          table,
          changes + " changes at " + perSecond + "/s",
          again + " changes produced again with new offsets, then kill -9 + restart",
          load);
    }
  }

  /** An instance killed, its state.dir deleted, and started again, {@code times} times. */
  public Row stateWipe(String table, long changes, int perSecond, int times)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      load.start(changes, 0, perSecond);
      for (int i = 0; i < times; i++) {
        Thread.sleep(2_000 + random.nextInt(2_000));
        int index = random.nextInt(instances.size());
        JavaProcess instance = instances.get(index);
        instance.kill();
        deleteRecursively(stack.workDir().resolve(instance.name() + "-state"));
        log.printf("  kill -9 %s and wipe its state.dir%n", instance.name());
        instances.set(index, startInstance(index, List.of()));
      }
      load.await();
      return judge(
          "state.dir wiped",
          table,
          changes + " changes at " + perSecond + "/s",
          times + " x kill -9, state.dir deleted, restart",
          load);
    }
  }

  /** 3 instances; one restarted (SIGTERM) every {@code every} for {@code total}. */
  public Row churn(String table, int perSecond, Duration every, Duration total)
      throws InterruptedException {
    instances(3);
    long changes = perSecond * total.toSeconds();
    int restarts = 0;
    try (FaultLoad load = load(table)) {
      load.start(changes, 0, perSecond);
      long end = System.nanoTime() + total.toNanos();
      while (System.nanoTime() < end) {
        Thread.sleep(every.toMillis());
        int index = restarts++ % instances.size();
        instances.get(index).stop(Duration.ofSeconds(30));
        instances.set(index, startInstance(index, List.of()));
      }
      load.await();
      return judge(
          "rebalance churn",
          table,
          changes + " changes at " + perSecond + "/s, 3 instances",
          restarts
              + " restarts, one every "
              + every.toSeconds()
              + " s for "
              + total.toSeconds()
              + " s",
          load);
    }
  }

  private FaultLoad load(String table) {
    FaultLoad load = new FaultLoad(broker.bootstrapServers(), PREFIX, table, ROWS);
    ReadyTopics.create(broker.bootstrapServers(), Map.of(load.topic(), 3));
    log.printf("scenario on %s%n", load.topic());
    return load;
  }

  /** Runs verify on the scenario's topic until it matches or the catch-up timeout passes. */
  private Row judge(String scenario, String table, String load, String faults, FaultLoad input)
      throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + catchUpTimeout.toNanos();
    JsonNode report;
    boolean ok;
    do {
      Thread.sleep(2_000);
      report = verify(input.topic());
      ok = report.get("ok").asBoolean();
    } while (!ok && System.nanoTime() < deadline);
    double seconds = (System.nanoTime() - started) / 1e9;
    JsonNode t = report.path("totals");
    StringBuilder codes = new StringBuilder();
    report
        .get("deadLetters")
        .properties()
        .forEach(
            e ->
                codes
                    .append(codes.isEmpty() ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(e.getValue().asLong()));
    Row row =
        new Row(
            scenario,
            load,
            faults,
            t.path("expected").asLong(-1),
            t.path("present").asLong(-1),
            t.path("missing").asLong(-1),
            t.path("duplicated").asLong(-1),
            t.path("outOfOrder").asLong(-1),
            t.path("deadLettered").asLong(-1),
            codes.toString(),
            seconds,
            ok,
            ok ? "" : "verify did not match within " + catchUpTimeout.toSeconds() + " s");
    log.printf("  -> %s%n", row);
    return row;
  }

  private JsonNode verify(String topic) {
    Map<String, String> props = new HashMap<>(settings);
    props.put("data.topics.pattern", java.util.regex.Pattern.quote(topic));
    Path report = stack.workDir().resolve("verify-" + (++verifyRuns) + ".json");
    StringWriter out = new StringWriter();
    Settings parsed = Settings.of(props);
    try (EsdbReader esdb = EsdbReader.connect(emulator.connectionString(), 10_000)) {
      new Verifier(
              parsed,
              esdb,
              new Verifier.Options(null, null, stack.workDir(), Duration.ofSeconds(30)),
              Progress.none())
          .run(new PrintWriter(out), report);
      return Json.read(Files.readAllBytes(report));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      // EventStoreDB or Kafka not answering yet: not a verdict, try again
      log.printf("  verify could not finish: %s%n", e.getMessage());
      return Json.object().put("ok", false).set("totals", Json.object());
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    stack.close();
  }
}
