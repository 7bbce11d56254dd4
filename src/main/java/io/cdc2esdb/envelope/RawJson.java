package io.cdc2esdb.envelope;

import java.util.Arrays;

/**
 * The JSON a change's payload was read from, and where the payload and its rows lie in it: what
 * stores or sends the payload or a row as JSON copies these bytes instead of writing the tree
 * again. A range is {@code [from, to)}; {@code from} is {@link #ABSENT} for a row that is not a
 * JSON object ({@code null}, missing). Owned by the change: do not mutate {@code bytes}.
 */
public record RawJson(
    byte[] bytes,
    int payloadFrom,
    int payloadTo,
    int beforeFrom,
    int beforeTo,
    int afterFrom,
    int afterTo) {

  public static final int ABSENT = -1;

  /** The payload's JSON. */
  public byte[] payload() {
    return slice(payloadFrom, payloadTo);
  }

  /** The {@code before} row's JSON, or {@code null} when it is not an object. */
  public byte[] before() {
    return slice(beforeFrom, beforeTo);
  }

  /** The {@code after} row's JSON, or {@code null} when it is not an object. */
  public byte[] after() {
    return slice(afterFrom, afterTo);
  }

  private byte[] slice(int from, int to) {
    if (from == ABSENT) {
      return null;
    }
    return from == 0 && to == bytes.length ? bytes : Arrays.copyOfRange(bytes, from, to);
  }
}
