package io.cdc2esdb.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One cdc2esdb instance as its own JVM running the production {@code run} command, with its own
 * state directory and HTTP port: it can be stopped cleanly (SIGTERM, as a deployment would) or
 * killed (SIGKILL: no close, no commit, no leaving the group).
 */
final class InstanceProcess implements AutoCloseable {

  private final String name;
  private final Path config;
  private final Path log;
  private final int port;
  private Process process;

  private InstanceProcess(String name, Path config, Path log, int port) {
    this.name = name;
    this.config = config;
    this.log = log;
    this.port = port;
  }

  /** Writes the instance's configuration ({@code settings} plus its state dir and port). */
  static InstanceProcess create(String name, Path workDir, Map<String, String> settings) {
    try {
      Path dir = Files.createDirectories(workDir.resolve(name));
      int port = freePort();
      Properties props = new Properties();
      props.putAll(settings);
      props.put("state.dir", dir.resolve("state").toString());
      props.put("http.listen", "127.0.0.1:" + port);
      Path config = dir.resolve("cdc2esdb.properties");
      try (var out = Files.newBufferedWriter(config)) {
        props.store(out, name);
      }
      return new InstanceProcess(name, config, dir.resolve("instance.log"), port);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  String name() {
    return name;
  }

  Path log() {
    return log;
  }

  /** Starts (or starts again, on the same state directory) the instance's JVM. */
  void start() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.addAll(List.of("io.cdc2esdb.app.Main", "run", "--config", config.toString()));
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGTERM, then waits for the JVM to close Kafka Streams and exit. */
  void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      throw new AssertionError(name + " did not stop within 90 s after SIGTERM");
    }
  }

  /** SIGKILL: the instance gets no chance to close anything. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      try {
        process.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
