package io.cdc2esdb.dev.app;

import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.dev.emulator.ServerVersion;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code emulator}: runs the EventStoreDB emulator as a standalone server until stopped. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an EventStoreDB/KurrentDB emulator that db-client-java and kurrentdb-client talk to as"
          + " to a single-node server of the chosen version.",
      "Prints the connection string, then serves until SIGTERM or Ctrl-C."
    })
public final class EmulatorCommand implements Callable<Integer> {

  @Option(
      names = "--host",
      defaultValue = EmulatorOptions.DEFAULT_HOST,
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "" + EmulatorOptions.DEFAULT_PORT,
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      description = "Keep the log in this directory so a restart keeps the data (default: memory).")
  Path dataDir;

  @Option(names = "--fsync", description = "Force every write to disk before acknowledging it.")
  boolean fsync;

  @Option(
      names = "--projections",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Run $$by_category and $$by_correlation_id (default: on).")
  boolean projections;

  @Option(
      names = "--max-append-size",
      defaultValue = "" + EmulatorOptions.DEFAULT_MAX_APPEND_SIZE,
      description = "The server's MaxAppendSize in bytes (default: ${DEFAULT-VALUE}).")
  long maxAppendSize;

  @Option(
      names = "--max-append-event-size",
      defaultValue = "" + EmulatorOptions.DEFAULT_MAX_APPEND_EVENT_SIZE,
      description =
          "The server's MaxAppendEventSize in bytes: the largest v2 record (default:"
              + " ${DEFAULT-VALUE}).")
  long maxAppendEventSize;

  @Option(
      names = "--server-version",
      defaultValue = "26.0",
      converter = ServerVersionConverter.class,
      description = {
        "Which server to play: 24.10 (reports 24.10.0, no v2 protocol), 25.1 (reports 25.1.0,"
            + " v2 AppendSession, a partial replay fails as INTERNAL) or 26.0 (reports 26.0.3, v2"
            + " AppendSession, a partial replay fails as STREAM_REVISION_CONFLICT)"
            + " (default: ${DEFAULT-VALUE})."
      })
  ServerVersion serverVersion;

  @Option(
      names = "--batch-append",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Offer v1 Streams/BatchAppend (--no-batch-append: leave it out of ServerFeatures and"
              + " answer it UNIMPLEMENTED, as a proxy that does not pass it would).")
  boolean batchAppend;

  /** Parses {@code 24.10|25.1|26.0}. */
  static final class ServerVersionConverter implements CommandLine.ITypeConverter<ServerVersion> {
    @Override
    public ServerVersion convert(String value) {
      try {
        return ServerVersion.of(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    EmulatorOptions options =
        EmulatorOptions.defaults()
            .withHost(host)
            .withPort(port)
            .withDataDir(dataDir)
            .withFsync(fsync)
            .withProjections(projections)
            .withMaxAppendSize(maxAppendSize)
            .withMaxAppendEventSize(maxAppendEventSize)
            .withServerVersion(serverVersion)
            .withBatchAppend(batchAppend);
    EventStoreEmulator emulator;
    try {
      emulator = EventStoreEmulator.start(options);
    } catch (UncheckedIOException e) {
      if (!portInUse(e)) {
        throw e;
      }
      System.err.println(
          "Cannot listen on "
              + host
              + ":"
              + port
              + ": the port is in use (--port; 0 picks a free one).");
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                },
                "emulator-shutdown"));
    System.out.println(emulator.connectionString());
    System.out.flush();
    stopped.await();
    return 0;
  }

  /** gRPC reports a taken port as an IOException caused by a BindException (NIO) or not (epoll). */
  private static boolean portInUse(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      String message = String.valueOf(t.getMessage());
      if (t instanceof BindException
          || message.contains("Address already in use")
          || message.startsWith("Failed to bind")) {
        return true;
      }
    }
    return false;
  }
}
