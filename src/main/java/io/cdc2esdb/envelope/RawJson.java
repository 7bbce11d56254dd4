package io.cdc2esdb.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Arrays;

/**
 * The JSON a change's payload was read from, and where the payload and its rows lie in it: what
 * stores or sends the payload or a row as JSON copies these bytes instead of writing the tree
 * again. A range is {@code [from, to)}; a row's {@code from} is {@link #ABSENT} for no row ({@code
 * null}, missing) and {@link #OTHER} for a value that is not a JSON object (then only its tree says
 * what it is). {@code nonNullRowFields} is how many of the {@code before} and {@code after} rows'
 * fields are not JSON {@code null}, counted while the rows were stepped over. Owned by the change:
 * do not mutate {@code bytes}.
 */
public record RawJson(
    byte[] bytes,
    int payloadFrom,
    int payloadTo,
    int beforeFrom,
    int beforeTo,
    int afterFrom,
    int afterTo,
    int nonNullRowFields) {

  public static final int ABSENT = -1;
  public static final int OTHER = -2;

  /** The payload's JSON. */
  public byte[] payload() {
    return slice(payloadFrom, payloadTo);
  }

  /** The payload read as a tree. */
  public JsonNode payloadTree() throws IOException {
    return Json.MAPPER.readTree(bytes, payloadFrom, payloadTo - payloadFrom);
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
    if (from < 0) {
      return null;
    }
    return from == 0 && to == bytes.length ? bytes : Arrays.copyOfRange(bytes, from, to);
  }
}
