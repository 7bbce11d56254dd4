package io.cdc2esdb.dev.faults;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.bench.Workload;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
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
  // The emulator keeps every event in memory, and a full run writes about 250,000 of them.
  private static final List<String> EMULATOR_HEAP = List.of("-Xmx1536m", "-XX:+UseSerialGC");
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
      String note,
      double resumedSeconds,
      Lifecycle lifecycle) {}

  /**
   * What the instances' logs say happened to Kafka Streams during a scenario: how often a client
   * left RUNNING (a rebalance, a shutdown, an error), how many stream threads were replaced after
   * an uncaught exception, and how many log lines said a producer was fenced.
   */
  public record Lifecycle(int leftRunning, int threadsReplaced, int fencedLines) {
    public boolean undisturbed() {
      return leftRunning == 0 && threadsReplaced == 0 && fencedLines == 0;
    }
  }

  private static final Pattern LEFT_RUNNING = Pattern.compile("Kafka Streams RUNNING -> ");
  private static final Pattern REPLACED = Pattern.compile("Stream thread failed; replacing it");
  private static final Pattern FENCED = Pattern.compile("(?i)fenced");
  private static final String METRICS = "kafka.streams:type=stream-cdc2esdb-metrics,*";

  private final ProcessStack stack;
  private final PrintStream log;
  private final Random random = new Random(12);
  private final ProcessStack.Broker broker;
  private final ProcessStack.Emulator emulator;
  private final Map<String, String> settings = new HashMap<>();
  private final List<JavaProcess> instances = new ArrayList<>();
  private final Duration catchUpTimeout;
  private int verifyRuns;

  private FaultSuite(
      ProcessStack stack, PrintStream log, Duration catchUpTimeout, Map<String, String> extra) {
    this.stack = stack;
    this.log = log;
    this.catchUpTimeout = catchUpTimeout;
    this.broker = stack.startBroker("broker", HEAP);
    this.emulator = stack.startEmulator("emulator", List.of(), EMULATOR_HEAP);
    settings.put("bootstrap.servers", broker.bootstrapServers());
    settings.put("esdb.connection.string", emulator.connectionString());
    settings.put("topic.prefix", PREFIX);
    // Topics appear as scenarios begin: find them within a second.
    settings.put("metadata.max.age.ms", "1000");
    settings.put("esdb.retry.timeout.ms", "600000");
    // Kafka Streams 4.1 does not leave the group when it closes: a restarted instance's previous
    // member stays until its session times out, and the rebalance waits for it. 6 s (the broker's
    // minimum) instead of Kafka's 45 s keeps a restart from stalling the group for most of a
    // minute.
    settings.put("session.timeout.ms", "6000");
    settings.put("heartbeat.interval.ms", "1500");
    settings.putAll(extra);
    ReadyTopics.create(
        broker.bootstrapServers(),
        Map.of(PREFIX + ".transaction", 1, PREFIX, 1, "cdc2esdb-dead-letter", 1));
  }

  /** Starts the broker and the emulator under {@code work}; instances start with the first row. */
  public static FaultSuite start(
      Path work, ProcessStack.Jars jars, PrintStream log, Duration catchUpTimeout) {
    return start(work, jars, log, catchUpTimeout, Map.of());
  }

  /** As above, every instance also configured with {@code extra} (e.g. a transaction timeout). */
  public static FaultSuite start(
      Path work,
      ProcessStack.Jars jars,
      PrintStream log,
      Duration catchUpTimeout,
      Map<String, String> extra) {
    ProcessStack stack = ProcessStack.in(work, jars).startTimeout(Duration.ofSeconds(180));
    try {
      return new FaultSuite(stack, log, catchUpTimeout, extra);
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
      Marks marks = marks();
      load.start(changes, 0, perSecond);
      for (int k = 1; k <= kills; k++) {
        int index = random.nextInt(instances.size());
        if (afterAckEvery > 0 && k % afterAckEvery == 0) {
          afterAck++;
          haltAfterAck(index, 1 + random.nextInt(20));
        } else {
          Thread.sleep(1_000 + random.nextInt(3_000));
          killAndRestart(index);
        }
      }
      load.await();
      return judge(
          "kill -9 during load",
          load.topic(),
          changes + " changes at " + perSecond + "/s",
          (kills - afterAck)
              + " random kill -9, "
              + afterAck
              + " halts right after an acknowledged append",
          marks,
          Double.NaN);
    }
  }

  private void killAndRestart(int index) {
    instances.get(index).kill();
    log.printf("  kill -9 %s%n", instances.get(index).name());
    instances.set(index, startInstance(index, List.of()));
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

  /**
   * EventStoreDB killed for {@code outage} during load, then restarted on its data; the row says
   * how soon after its return cdc2esdb wrote again.
   */
  public Row outage(String table, long changes, int perSecond, Duration outage)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      Marks marks = marks();
      load.start(changes, 0, perSecond);
      Thread.sleep(2_000);
      emulator.kill();
      log.printf("  EventStoreDB down for %d s%n", outage.toSeconds());
      Thread.sleep(outage.toMillis());
      double resumed = resumedAfter(emulator::restart);
      load.await();
      return judge(
          "EventStoreDB outage",
          load.topic(),
          changes + " changes at " + perSecond + "/s",
          "EventStoreDB killed for " + outage.toSeconds() + " s, restarted on its data",
          marks,
          resumed);
    }
  }

  /**
   * EventStoreDB frozen (SIGSTOP: connections open, nothing answering) for {@code pause} during
   * load, so that appends take longer than that, then let go on (SIGCONT).
   */
  public Row freeze(String table, long changes, int perSecond, Duration pause)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      Marks marks = marks();
      load.start(changes, 0, perSecond);
      Thread.sleep(2_000);
      JavaProcess server = emulator.process();
      server.pause();
      log.printf("  EventStoreDB frozen for %d s%n", pause.toSeconds());
      double resumed;
      try {
        Thread.sleep(pause.toMillis());
      } finally {
        resumed = resumedAfter(server::resume);
      }
      load.await();
      return judge(
          "EventStoreDB frozen",
          load.topic(),
          changes + " changes at " + perSecond + "/s",
          "EventStoreDB stopped (SIGSTOP) for "
              + pause.toSeconds()
              + " s"
              + (settings.containsKey("transaction.timeout.ms")
                  ? ", transaction.timeout.ms=" + settings.get("transaction.timeout.ms")
                  : "")
              + ", then continued",
          marks,
          resumed);
    }
  }

  /**
   * Runs {@code back} (EventStoreDB returns), then watches the instances' {@code
   * events-written-total} until it grows: the seconds from EventStoreDB's return (ready again) to
   * the first append cdc2esdb recorded after it, or infinity if none came within the catch-up
   * timeout.
   */
  private double resumedAfter(Runnable back) throws InterruptedException {
    double floor = written();
    back.run();
    long returned = System.nanoTime();
    long deadline = returned + catchUpTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      double now = written();
      if (now > floor) {
        double seconds = (System.nanoTime() - returned) / 1e9;
        log.printf("  EventStoreDB back; cdc2esdb wrote again after %.2f s%n", seconds);
        return seconds;
      }
      floor = Math.min(floor, now); // a task moved: its counters start again
      Thread.sleep(25);
    }
    return Double.POSITIVE_INFINITY;
  }

  /** What the live instances have written so far, by their own count. */
  private double written() {
    double total = 0;
    for (JavaProcess instance : instances) {
      try {
        total += instance.jvm().sum(METRICS, "events-written-total");
      } catch (RuntimeException e) {
        // not reachable over JMX right now (starting, stopping): counts nothing
      }
    }
    return total;
  }

  /** {@code poison} malformed records of every kind among {@code changes}; no other fault. */
  public Row poison(String table, long changes, int poison, int perSecond)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      Marks marks = marks();
      load.start(changes, poison, perSecond);
      load.await();
      return judge(
          poison == 0 ? "baseline (no fault)" : "poison records",
          load.topic(),
          changes
              + " changes"
              + (poison == 0 ? "" : " + " + poison + " poison")
              + " at "
              + perSecond
              + "/s",
          poison == 0
              ? "none"
              : poison + " malformed (" + String.join(", ", FaultLoad.POISON_KINDS) + ")",
          marks,
          Double.NaN);
    }
  }

  /** A slice produced again under new offsets, and an instance restarted in the middle. */
  public Row redelivery(String table, long changes, int perSecond, long slice)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      Marks marks = marks();
      load.start(changes, 0, perSecond);
      load.await();
      long again = load.redeliver(slice);
      killAndRestart(random.nextInt(instances.size()));
      return judge(
          "Debezium re-delivery",
          load.topic(),
          changes + " changes at " + perSecond + "/s",
          again + " changes produced again with new offsets, then kill -9 + restart",
          marks,
          Double.NaN);
    }
  }

  /**
   * Debezium-shaped transactions (BEGIN/END on the transaction topic, a transaction block in every
   * change) of 1 to 10 rows over {@code rows} rows; {@code kills} times an instance is killed (kill
   * -9) while a transaction of several rows is half produced: BEGIN and its first rows are in Kafka
   * and read, the rest of its rows and END are produced only once the instance runs again. Uses the
   * transaction topic and {@code <prefix>.inventory.customers}: once per suite.
   */
  public Row midTransaction(long changes, int rows, int perSecond, int kills)
      throws InterruptedException {
    try (TransactionLoad load =
        new TransactionLoad(
            broker.bootstrapServers(), PREFIX, new Workload.Spec(changes, rows, 10, 7))) {
      createTopic(load.topic());
      Marks marks = marks();
      int cut =
          load.run(
              perSecond,
              kills,
              () -> {
                // the first half is read (and perhaps buffered and committed) before the crash
                Thread.sleep(1_000 + random.nextInt(2_000));
                killAndRestart(random.nextInt(instances.size()));
              });
      return judge(
          "kill -9 mid-transaction",
          load.topic(),
          changes
              + " changes in transactions of 1-10 rows (BEGIN/END on "
              + load.transactionTopic()
              + ") at "
              + perSecond
              + "/s",
          cut
              + " kill -9 with a transaction half produced (BEGIN + first rows before, the rest"
              + " + END after the restart)",
          marks,
          Double.NaN);
    }
  }

  /** An instance killed, its state.dir deleted, and started again, {@code times} times. */
  public Row stateWipe(String table, long changes, int perSecond, int times)
      throws InterruptedException {
    try (FaultLoad load = load(table)) {
      Marks marks = marks();
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
          load.topic(),
          changes + " changes at " + perSecond + "/s",
          times + " x kill -9, state.dir deleted, restart",
          marks,
          Double.NaN);
    }
  }

  /** 3 instances; one restarted (SIGTERM) every {@code every} for {@code total}. */
  public Row churn(String table, int perSecond, Duration every, Duration total)
      throws InterruptedException {
    instances(3);
    long changes = perSecond * total.toSeconds();
    int restarts = 0;
    try (FaultLoad load = load(table)) {
      Marks marks = marks();
      load.start(changes, 0, perSecond);
      // On a fixed schedule: a restart that takes longer than the period delays only itself.
      long begin = System.nanoTime();
      long end = begin + total.toNanos();
      for (long next = begin + every.toNanos(); next <= end; next += every.toNanos()) {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000);
        }
        int index = restarts++ % instances.size();
        log.printf("  restarting %s%n", instances.get(index).name());
        instances.get(index).stop(Duration.ofSeconds(30));
        instances.set(index, startInstance(index, List.of()));
      }
      load.await();
      return judge(
          "rebalance churn",
          load.topic(),
          changes + " changes at " + perSecond + "/s, 3 instances",
          restarts
              + " restarts, one every "
              + every.toSeconds()
              + " s for "
              + total.toSeconds()
              + " s",
          marks,
          Double.NaN);
    }
  }

  private FaultLoad load(String table) throws InterruptedException {
    FaultLoad load = new FaultLoad(broker.bootstrapServers(), PREFIX, table, ROWS);
    createTopic(load.topic());
    return load;
  }

  /**
   * Creates a scenario's topic and waits (up to 15 s) until every instance has rebalanced onto it
   * (its pattern subscription finds it within metadata.max.age.ms), so that this rebalance, which
   * any new Debezium table causes, is not counted against the scenario's faults.
   */
  private void createTopic(String topic) throws InterruptedException {
    Marks before = marks();
    ReadyTopics.create(broker.bootstrapServers(), Map.of(topic, 3));
    log.printf("scenario on %s%n", topic);
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline && !allRunningAgain(before)) {
      Thread.sleep(100);
    }
  }

  private boolean allRunningAgain(Marks since) {
    for (JavaProcess instance : instances) {
      if (!logSince(instance.log(), since).contains("REBALANCING -> RUNNING")) {
        return false;
      }
    }
    return true;
  }

  private static String logSince(Path file, Marks since) {
    if (!Files.exists(file)) {
      return "";
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      int from = (int) Math.min(bytes.length, since.offsets().getOrDefault(file.toString(), 0L));
      return new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where each instance's log stood when a scenario began. */
  private record Marks(Map<String, Long> offsets) {}

  private Marks marks() {
    Map<String, Long> offsets = new HashMap<>();
    for (int i = 0; i < 3; i++) {
      Path file = instanceLog(i);
      offsets.put(file.toString(), sizeOf(file));
    }
    return new Marks(offsets);
  }

  private Path instanceLog(int index) {
    return stack.workDir().resolve("cdc2esdb-" + (index + 1) + ".log");
  }

  private static long sizeOf(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Counts, in what the instances logged since {@code marks}, what {@link Lifecycle} names. */
  private Lifecycle lifecycle(Marks marks) {
    int left = 0;
    int replaced = 0;
    int fenced = 0;
    for (int i = 0; i < 3; i++) {
      for (String line : logSince(instanceLog(i), marks).split("\n")) {
        left += LEFT_RUNNING.matcher(line).find() ? 1 : 0;
        replaced += REPLACED.matcher(line).find() ? 1 : 0;
        // one per message, not per line of its stack trace
        boolean trace = line.startsWith("\t") || line.startsWith("Caused by");
        fenced += !trace && FENCED.matcher(line).find() ? 1 : 0;
      }
    }
    return new Lifecycle(left, replaced, fenced);
  }

  /** Runs verify on the scenario's topic until it matches or the catch-up timeout passes. */
  private Row judge(
      String scenario, String topic, String load, String faults, Marks marks, double resumed)
      throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + catchUpTimeout.toNanos();
    JsonNode report;
    boolean ok;
    long attempt;
    Thread.sleep(500);
    do {
      // verify reads all of $all (foreign writes): it takes longer as the store grows, so the
      // time to catch up is taken when the matching verify began, not when it ended
      attempt = System.nanoTime();
      report = verify(topic);
      ok = report.get("ok").asBoolean();
      if (!ok) {
        Thread.sleep(1_000);
      }
    } while (!ok && System.nanoTime() < deadline);
    double seconds = ((ok ? attempt : System.nanoTime()) - started) / 1e9;
    JsonNode t = report.path("totals");
    StringBuilder codes = new StringBuilder();
    report
        .path("deadLetters")
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
            ok ? "" : "verify did not match within " + catchUpTimeout.toSeconds() + " s",
            resumed,
            lifecycle(marks));
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
