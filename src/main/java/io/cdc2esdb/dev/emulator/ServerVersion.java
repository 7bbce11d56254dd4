package io.cdc2esdb.dev.emulator;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which KurrentDB/EventStoreDB server the emulator plays, as far as a client can tell:
 *
 * <ul>
 *   <li>{@code 24.10} reports version {@code 24.10.0} and has no v2 protocol: ServerFeatures lists
 *       no {@code appendsession} (so {@code kurrentdb-client} fails {@code multiStreamAppend} with
 *       {@code UnsupportedOperationException}) and {@code StreamsService/AppendSession} answers
 *       {@code UNIMPLEMENTED};
 *   <li>{@code 25.1} reports {@code 25.1.0} and serves AppendSession; a partial replay (part of the
 *       session already written, part not) fails as {@code INTERNAL} / {@code SERVER_MALFUNCTION},
 *       as 25.1.0 to 26.0.2 do;
 *   <li>{@code 26.0} (the default) reports {@code 26.0.3} and serves AppendSession; a partial
 *       replay fails as {@code FAILED_PRECONDITION} / {@code STREAM_REVISION_CONFLICT} naming the
 *       first stream that was not simply writable, as 26.0.3 and later do.
 * </ul>
 *
 * The v1 protocol is the same in all three.
 */
public enum ServerVersion {
  V24_10("24.10", "24.10.0", false, false),
  V25_1("25.1", "25.1.0", true, false),
  V26_0("26.0", "26.0.3", true, true);

  public static final ServerVersion DEFAULT = V26_0;

  private final String label;
  private final String reported;
  private final boolean appendSession;
  private final boolean partialReplayIsConflict;

  ServerVersion(
      String label, String reported, boolean appendSession, boolean partialReplayIsConflict) {
    this.label = label;
    this.reported = reported;
    this.appendSession = appendSession;
    this.partialReplayIsConflict = partialReplayIsConflict;
  }

  /** {@code 24.10}, {@code 25.1} or {@code 26.0}: what {@code --server-version} takes. */
  public String label() {
    return label;
  }

  /** The version ServerFeatures reports, {@code major.minor.patch}. */
  public String reported() {
    return reported;
  }

  /** Whether the v2 {@code StreamsService/AppendSession} is served and advertised. */
  public boolean servesAppendSession() {
    return appendSession;
  }

  /** A partial replay: {@code STREAM_REVISION_CONFLICT} (true) or {@code INTERNAL} (false). */
  public boolean partialReplayIsConflict() {
    return partialReplayIsConflict;
  }

  /** The version for a label ({@code 24.10}, {@code 25.1}, {@code 26.0}). */
  public static ServerVersion of(String label) {
    for (ServerVersion version : values()) {
      if (version.label.equals(label)) {
        return version;
      }
    }
    throw new IllegalArgumentException(
        "unknown server version '" + label + "'; expected one of " + labels());
  }

  /** The labels, comma-separated. */
  public static String labels() {
    return Arrays.stream(values()).map(ServerVersion::label).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return label;
  }
}
