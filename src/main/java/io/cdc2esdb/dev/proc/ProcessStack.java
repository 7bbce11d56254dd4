package io.cdc2esdb.dev.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * cdc2esdb's whole path as separate OS processes on loopback, each in its own JVM: a KRaft broker
 * (the dev jar's hidden {@code broker} command), the EventStoreDB emulator ({@code emulator}, with
 * a data directory so that it can be killed and started again on its data) and any number of
 * cdc2esdb instances ({@code cdc2esdb.jar run --config <generated file>}). Every process logs to
 * {@code <work>/<name>.log}. Closing the stack stops what still runs, newest first; a JVM exit
 * stops them too, so that no child outlives a failed benchmark or test.
 */
public final class ProcessStack implements AutoCloseable {

  static final Pattern BROKER_READY = Pattern.compile("bootstrap\\.servers=(\\S+)");
  static final Pattern EMULATOR_READY = Pattern.compile("(esdb://[^\\s:]+:(\\d+)\\S*)");
  static final Pattern CDC2ESDB_READY = Pattern.compile("Kafka Streams \\S+ -> RUNNING");

  private final Path workDir;
  private final Jars jars;
  private final Deque<JavaProcess> processes = new ArrayDeque<>();
  private final Thread reaper = new Thread(this::killAll, "process-stack-reaper");
  private Duration startTimeout = Duration.ofMinutes(5);

  private ProcessStack(Path workDir, Jars jars) {
    this.workDir = workDir;
    this.jars = jars;
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /** A stack whose processes keep their logs and data under {@code workDir}. */
  public static ProcessStack in(Path workDir, Jars jars) {
    try {
      Files.createDirectories(workDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ProcessStack(workDir, jars);
  }

  public Path workDir() {
    return workDir;
  }

  public Jars jars() {
    return jars;
  }

  /** How long each process may take to say it is ready (default 5 min: machines are shared). */
  public ProcessStack startTimeout(Duration timeout) {
    this.startTimeout = timeout;
    return this;
  }

  /** Starts a fresh single-node KRaft broker (broker and controller) on a free loopback port. */
  public Broker startBroker(String name, List<String> jvmOptions) {
    JavaProcess process =
        track(
            JavaProcess.builder(name, jars.dev())
                .jvmOptions(jvmOptions)
                .args(List.of("broker", "--dir", workDir.resolve(name).toString()))
                .log(workDir.resolve(name + ".log"))
                .readyWhen(BROKER_READY, startTimeout)
                .start());
    return new Broker(process, process.ready().group(1));
  }

  /**
   * Starts the emulator on a free loopback port, its log in {@code <work>/<name>-data} (kept across
   * {@link Emulator#restart()}).
   */
  public Emulator startEmulator(String name, List<String> emulatorArgs, List<String> jvmOptions) {
    Emulator emulator =
        new Emulator(name, workDir.resolve(name + "-data"), emulatorArgs, jvmOptions);
    emulator.start(0);
    return emulator;
  }

  /**
   * Starts one cdc2esdb instance on {@code settings} (written to {@code <work>/<name>.properties},
   * with {@code state.dir} in {@code <work>/<name>-state} and HTTP on a free port unless given),
   * with JMX so that its heap, GC and Kafka Streams metrics can be read; returns once Kafka Streams
   * is RUNNING.
   */
  public JavaProcess startCdc2esdb(
      String name, Map<String, String> settings, List<String> jvmOptions) {
    Path config = workDir.resolve(name + ".properties");
    Properties props = new Properties();
    props.setProperty("state.dir", workDir.resolve(name + "-state").toString());
    // Several instances run side by side: each serves HTTP on a free loopback port.
    props.setProperty("http.listen", "127.0.0.1:0");
    props.putAll(settings);
    try (var out = Files.newBufferedWriter(config)) {
      props.store(out, "cdc2esdb instance " + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return startJar(
        name,
        jars.production(),
        jvmOptions,
        List.of("run", "--config", config.toString()),
        CDC2ESDB_READY);
  }

  /** Starts any command of a jar as a tracked process with JMX; ready when a log line matches. */
  public JavaProcess startJar(
      String name, Path jar, List<String> jvmOptions, List<String> args, Pattern ready) {
    return track(
        JavaProcess.builder(name, jar)
            .jvmOptions(jvmOptions)
            .args(args)
            .jmx()
            .log(workDir.resolve(name + ".log"))
            .readyWhen(ready, startTimeout)
            .start());
  }

  /** Stops every process still running, newest first (SIGTERM, then SIGKILL after 30 s). */
  @Override
  public synchronized void close() {
    while (!processes.isEmpty()) {
      JavaProcess process = processes.pop();
      process.close();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is exiting: the hook runs anyway
    }
  }

  private synchronized JavaProcess track(JavaProcess process) {
    processes.push(process);
    return process;
  }

  private synchronized void killAll() {
    new ArrayList<>(processes).forEach(JavaProcess::kill);
  }

  /**
   * The two jars of one build: the production {@code cdc2esdb.jar} and {@code cdc2esdb-dev.jar}.
   */
  public record Jars(Path production, Path dev) {
    /** The jars in {@code dir}, as the build leaves them in {@code target/}. */
    public static Jars in(Path dir) {
      Jars jars = new Jars(dir.resolve("cdc2esdb.jar"), dir.resolve("cdc2esdb-dev.jar"));
      for (Path jar : List.of(jars.production(), jars.dev())) {
        if (!Files.isRegularFile(jar)) {
          throw new IllegalStateException(jar + " not found: build with mvn package first");
        }
      }
      return jars;
    }
  }

  /** A running broker. */
  public record Broker(JavaProcess process, String bootstrapServers) {}

  /** The emulator: one process at a time, restartable on its data directory and port. */
  public final class Emulator {
    private final String name;
    private final Path dataDir;
    private final List<String> args;
    private final List<String> jvmOptions;
    private JavaProcess process;
    private String connectionString;
    private int port;

    private Emulator(String name, Path dataDir, List<String> args, List<String> jvmOptions) {
      this.name = name;
      this.dataDir = dataDir;
      this.args = List.copyOf(args);
      this.jvmOptions = List.copyOf(jvmOptions);
    }

    private void start(int onPort) {
      List<String> all = new ArrayList<>(List.of("emulator", "--port", Integer.toString(onPort)));
      all.addAll(List.of("--data-dir", dataDir.toString()));
      all.addAll(args);
      process =
          track(
              JavaProcess.builder(name, jars.dev())
                  .jvmOptions(jvmOptions)
                  .args(all)
                  .log(workDir.resolve(name + ".log"))
                  .readyWhen(EMULATOR_READY, startTimeout)
                  .start());
      connectionString = process.ready().group(1);
      port = Integer.parseInt(process.ready().group(2));
    }

    public String connectionString() {
      return connectionString;
    }

    public int port() {
      return port;
    }

    public Path dataDir() {
      return dataDir;
    }

    public JavaProcess process() {
      return process;
    }

    /** SIGTERM and wait (the emulator closes its log cleanly). */
    public void stop() {
      process.stop(Duration.ofSeconds(30));
    }

    /** SIGKILL, as a crash or a pulled plug. */
    public void kill() {
      process.kill();
    }

    /**
     * Starts it again on the same port and data directory (after {@link #stop} or {@link #kill}).
     */
    public void restart() {
      if (process.isAlive()) {
        throw new IllegalStateException(name + " still runs: stop or kill it first");
      }
      start(port);
    }
  }
}
