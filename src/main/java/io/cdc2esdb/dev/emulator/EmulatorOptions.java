package io.cdc2esdb.dev.emulator;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * How to run the emulator. {@code port} 0 picks a free port; {@code dataDir} null keeps everything
 * in memory; {@code maxAppendSize} is the server's {@code MaxAppendSize} (one v1 append, one v2
 * session); {@code maxAppendEventSize} is its {@code MaxAppendEventSize} (one v2 record); {@code
 * projections} runs {@code $by_category} and {@code $by_correlation_id}; {@code fsync} forces every
 * write to disk before it is acknowledged; {@code clock} stamps events and ages them for {@code
 * $maxAge}; {@code serverVersion} chooses which server it plays ({@link ServerVersion}); {@code
 * batchAppend} offers v1 {@code Streams/BatchAppend} (every version played has it; off,
 * ServerFeatures leaves it out and the method answers {@code UNIMPLEMENTED}, as a proxy that does
 * not pass it would).
 *
 * <p>The size defaults are 24.10's {@code MaxAppendSize} (1 MiB, also for 25.1 and 26.0, whose own
 * default is 256 MiB: a smaller limit is the stricter test) and 25.1's {@code MaxAppendEventSize}
 * (16 MiB).
 */
public record EmulatorOptions(
    String host,
    int port,
    Path dataDir,
    long maxAppendSize,
    long maxAppendEventSize,
    boolean projections,
    boolean fsync,
    Clock clock,
    ServerVersion serverVersion,
    boolean batchAppend) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 2113;
  public static final long DEFAULT_MAX_APPEND_SIZE = 1_048_576;
  public static final long DEFAULT_MAX_APPEND_EVENT_SIZE = 16L * 1024 * 1024;

  public EmulatorOptions {
    Objects.requireNonNull(serverVersion, "serverVersion");
  }

  /** Loopback, port 2113, in memory, projections on, playing {@link ServerVersion#DEFAULT}. */
  public static EmulatorOptions defaults() {
    return new EmulatorOptions(
        DEFAULT_HOST,
        DEFAULT_PORT,
        null,
        DEFAULT_MAX_APPEND_SIZE,
        DEFAULT_MAX_APPEND_EVENT_SIZE,
        true,
        false,
        Clock.systemUTC(),
        ServerVersion.DEFAULT,
        true);
  }

  /** Like {@link #defaults()} on a free loopback port: for tests and embedded use. */
  public static EmulatorOptions ephemeral() {
    return defaults().withPort(0);
  }

  public EmulatorOptions withHost(String value) {
    return new EmulatorOptions(
        value,
        port,
        dataDir,
        maxAppendSize,
        maxAppendEventSize,
        projections,
        fsync,
        clock,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withPort(int value) {
    return new EmulatorOptions(
        host,
        value,
        dataDir,
        maxAppendSize,
        maxAppendEventSize,
        projections,
        fsync,
        clock,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withDataDir(Path value) {
    return new EmulatorOptions(
        host,
        port,
        value,
        maxAppendSize,
        maxAppendEventSize,
        projections,
        fsync,
        clock,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withMaxAppendSize(long value) {
    return new EmulatorOptions(
        host,
        port,
        dataDir,
        value,
        maxAppendEventSize,
        projections,
        fsync,
        clock,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withMaxAppendEventSize(long value) {
    return new EmulatorOptions(
        host,
        port,
        dataDir,
        maxAppendSize,
        value,
        projections,
        fsync,
        clock,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withProjections(boolean value) {
    return new EmulatorOptions(
        host,
        port,
        dataDir,
        maxAppendSize,
        maxAppendEventSize,
        value,
        fsync,
        clock,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withFsync(boolean value) {
    return new EmulatorOptions(
        host,
        port,
        dataDir,
        maxAppendSize,
        maxAppendEventSize,
        projections,
        value,
        clock,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withClock(Clock value) {
    return new EmulatorOptions(
        host,
        port,
        dataDir,
        maxAppendSize,
        maxAppendEventSize,
        projections,
        fsync,
        value,
        serverVersion,
        batchAppend);
  }

  public EmulatorOptions withServerVersion(ServerVersion value) {
    return new EmulatorOptions(
        host,
        port,
        dataDir,
        maxAppendSize,
        maxAppendEventSize,
        projections,
        fsync,
        clock,
        value,
        batchAppend);
  }

  public EmulatorOptions withBatchAppend(boolean value) {
    return new EmulatorOptions(
        host,
        port,
        dataDir,
        maxAppendSize,
        maxAppendEventSize,
        projections,
        fsync,
        clock,
        serverVersion,
        value);
  }
}
