package io.cdc2esdb.dev.emulator;

import java.nio.file.Path;
import java.time.Clock;

/**
 * How to run the emulator. {@code port} 0 picks a free port; {@code dataDir} null keeps everything
 * in memory; {@code maxAppendSize} is the server's {@code MaxAppendSize}; {@code projections} runs
 * {@code $by_category} and {@code $by_correlation_id}; {@code fsync} forces every write to disk
 * before it is acknowledged; {@code clock} stamps events and ages them for {@code $maxAge}.
 */
public record EmulatorOptions(
    String host,
    int port,
    Path dataDir,
    long maxAppendSize,
    boolean projections,
    boolean fsync,
    Clock clock) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 2113;
  public static final long DEFAULT_MAX_APPEND_SIZE = 1_048_576;

  /** Loopback, port 2113, in memory, projections on. */
  public static EmulatorOptions defaults() {
    return new EmulatorOptions(
        DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_MAX_APPEND_SIZE, true, false, Clock.systemUTC());
  }

  /** Like {@link #defaults()} on a free loopback port: for tests and embedded use. */
  public static EmulatorOptions ephemeral() {
    return defaults().withPort(0);
  }

  public EmulatorOptions withHost(String value) {
    return new EmulatorOptions(value, port, dataDir, maxAppendSize, projections, fsync, clock);
  }

  public EmulatorOptions withPort(int value) {
    return new EmulatorOptions(host, value, dataDir, maxAppendSize, projections, fsync, clock);
  }

  public EmulatorOptions withDataDir(Path value) {
    return new EmulatorOptions(host, port, value, maxAppendSize, projections, fsync, clock);
  }

  public EmulatorOptions withMaxAppendSize(long value) {
    return new EmulatorOptions(host, port, dataDir, value, projections, fsync, clock);
  }

  public EmulatorOptions withProjections(boolean value) {
    return new EmulatorOptions(host, port, dataDir, maxAppendSize, value, fsync, clock);
  }

  public EmulatorOptions withFsync(boolean value) {
    return new EmulatorOptions(host, port, dataDir, maxAppendSize, projections, value, clock);
  }

  public EmulatorOptions withClock(Clock value) {
    return new EmulatorOptions(host, port, dataDir, maxAppendSize, projections, fsync, value);
  }
}
