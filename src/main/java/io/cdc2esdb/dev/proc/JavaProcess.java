package io.cdc2esdb.dev.proc;

import io.cdc2esdb.dev.Loopback;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM started as a separate OS process ({@code java [jvm options] -jar <jar> <args>}), its
 * standard output and error going to one log file. {@link Builder#start()} returns once a line of
 * that log matches the builder's ready pattern; the match is kept ({@link #ready()}), which is how
 * a child tells its address. Stop it cleanly ({@link #stop}, SIGTERM: its shutdown hooks run) or
 * {@link #kill} it (SIGKILL). While it runs, {@link #stats()} reads its CPU time and memory from
 * {@code /proc}, and {@link #jvm()} looks inside over JMX when the builder asked for it.
 */
public final class JavaProcess implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(50);

  private final String name;
  private final Process process;
  private final Path log;
  private final int jmxPort;
  private final long startedNanos;
  private final long logOffset;
  private Matcher ready;
  private JvmProbe jvm;

  private JavaProcess(
      String name, Process process, Path log, long logOffset, int jmxPort, long startedNanos) {
    this.name = name;
    this.logOffset = logOffset;
    this.process = process;
    this.log = log;
    this.jmxPort = jmxPort;
    this.startedNanos = startedNanos;
  }

  public static Builder builder(String name, Path jar) {
    return new Builder(name, jar);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path log() {
    return log;
  }

  /** {@link System#nanoTime()} when the process was launched. */
  public long startedNanos() {
    return startedNanos;
  }

  /** The log line that said the process is ready, matched against the ready pattern. */
  public Matcher ready() {
    return ready;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** CPU time and memory of the process now. */
  public ProcStats stats() {
    return ProcStats.of(pid());
  }

  /** The JMX view of the process (connected on first use). */
  public synchronized JvmProbe jvm() {
    if (jmxPort == 0) {
      throw new IllegalStateException(name + " was started without JMX");
    }
    if (jvm == null) {
      jvm = JvmProbe.connect(Loopback.HOST, jmxPort);
    }
    return jvm;
  }

  /**
   * SIGTERM, then waits up to {@code timeout} for the exit; SIGKILL if it has not exited by then.
   */
  public int stop(Duration timeout) {
    closeProbe();
    process.destroy();
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        return kill();
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return kill();
    }
  }

  /** SIGKILL: no shutdown hook runs, as in a crash. Waits for the exit and returns its code. */
  public int kill() {
    closeProbe();
    process.destroyForcibly();
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /**
   * SIGSTOP: the process is frozen, its sockets open but nothing answering, as a server stalled by
   * a long pause or an overloaded disk; {@link #resume()} lets it go on.
   */
  public void pause() {
    signal("STOP");
  }

  /** SIGCONT after {@link #pause()}. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String name) {
    try {
      int status =
          new ProcessBuilder("kill", "-" + name, Long.toString(pid()))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start()
              .waitFor();
      if (status != 0) {
        throw new IllegalStateException("kill -" + name + " " + pid() + " exited with " + status);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal " + this.name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + this.name, e);
    }
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String tail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      stop(Duration.ofSeconds(30));
    }
    closeProbe();
  }

  private synchronized void closeProbe() {
    if (jvm != null) {
      jvm.close();
      jvm = null;
    }
  }

  private void awaitReady(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher match = firstMatch(pattern);
      if (match != null) {
        ready = match;
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            name + " exited with " + process.exitValue() + " before it was ready:\n" + tail(30));
      }
      if (System.nanoTime() > deadline) {
        kill();
        throw new IllegalStateException(
            name
                + " not ready within "
                + timeout
                + " (no line matching "
                + pattern
                + "):\n"
                + tail(30));
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        kill();
        throw new IllegalStateException("interrupted while " + name + " was starting", e);
      }
    }
  }

  // Only what this start wrote: a restarted process appends to the log of the earlier one.
  private Matcher firstMatch(Pattern pattern) {
    try {
      byte[] bytes = Files.readAllBytes(log);
      int from = (int) Math.min(logOffset, bytes.length);
      String text = new String(bytes, from, bytes.length - from, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        Matcher m = pattern.matcher(line);
        if (m.find()) {
          return m;
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How to start one process. */
  public static final class Builder {
    private final String name;
    private final Path jar;
    private final List<String> jvmOptions = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private Path log;
    private Pattern readyPattern;
    private Duration readyTimeout = Duration.ofSeconds(60);
    private boolean jmx;

    private Builder(String name, Path jar) {
      this.name = Objects.requireNonNull(name);
      this.jar = Objects.requireNonNull(jar);
    }

    public Builder jvmOptions(List<String> options) {
      jvmOptions.addAll(options);
      return this;
    }

    public Builder args(List<String> arguments) {
      args.addAll(arguments);
      return this;
    }

    /** Where standard output and error go (appended to, so a restart keeps the earlier log). */
    public Builder log(Path file) {
      this.log = file;
      return this;
    }

    /** Ready once a log line contains a match of {@code pattern}; its groups carry what it said. */
    public Builder readyWhen(Pattern pattern, Duration timeout) {
      this.readyPattern = pattern;
      this.readyTimeout = timeout;
      return this;
    }

    /**
     * Serves the child's MBeans over JMX on a free loopback port, without authentication ({@link
     * LoopbackJmxAgent}).
     */
    public Builder jmx() {
      this.jmx = true;
      return this;
    }

    private Path agentJar() {
      try {
        return LoopbackJmxAgent.writeJar(log.toAbsolutePath().getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the JMX agent's jar", e);
      }
    }

    public JavaProcess start() {
      Objects.requireNonNull(log, "log");
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      int jmxPort = jmx ? Loopback.freePort() : 0;
      if (jmx) {
        command.add("-javaagent:" + agentJar() + "=" + jmxPort);
      }
      command.addAll(jvmOptions);
      command.add("-jar");
      command.add(jar.toString());
      command.addAll(args);
      try {
        Files.createDirectories(log.toAbsolutePath().getParent());
        Files.writeString(
            log,
            "# " + String.join(" ", command) + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
        long offset = Files.size(log);
        long started = System.nanoTime();
        Process process =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        JavaProcess child = new JavaProcess(name, process, log, offset, jmxPort, started);
        if (readyPattern != null) {
          child.awaitReady(readyPattern, readyTimeout);
        }
        return child;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start " + name, e);
      }
    }
  }
}
