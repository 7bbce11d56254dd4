package io.cdc2esdb.dev.emulator.store;

/**
 * The server's raw expected-version values, as they appear in its storage layer and in the trailers
 * of a wrong-expected-version error. Exact revisions are the values {@code >= 0}.
 */
public final class ExpectedVersion {
  public static final long ANY = -2;
  public static final long NO_STREAM = -1;
  public static final long STREAM_EXISTS = -4;

  private ExpectedVersion() {}
}
