package io.cdc2esdb.dev.emulator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The system properties of a stream's latest {@code $metadata} event that change what a read of the
 * stream returns: {@code $maxCount}, {@code $maxAge} (seconds) and {@code $tb} (truncate before).
 * Metadata that is not a JSON object counts as none, as on the server.
 */
public record StreamMetadata(OptionalLong maxCount, OptionalLong maxAgeSeconds, OptionalLong tb) {

  static final StreamMetadata NONE =
      new StreamMetadata(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

  /** Metastreams keep only their latest event, whatever their own metadata says. */
  static final StreamMetadata METASTREAM =
      new StreamMetadata(OptionalLong.of(1), OptionalLong.empty(), OptionalLong.empty());

  private static final ObjectMapper JSON = new ObjectMapper();

  public static StreamMetadata parse(byte[] raw) {
    return object(raw)
        .map(
            node ->
                new StreamMetadata(
                    longField(node, "$maxCount"),
                    longField(node, "$maxAge"),
                    longField(node, "$tb")))
        .orElse(NONE);
  }

  public boolean softDeleted() {
    return tb.isPresent() && tb.getAsLong() == SystemNames.DELETED_STREAM;
  }

  /**
   * The metadata a soft-deleted stream gets when it is written to again: the same JSON with {@code
   * $tb} moved to the first new revision. Empty when the metadata is not a JSON object (the server
   * then leaves it as it is).
   */
  static Optional<byte[]> withTruncateBefore(byte[] raw, long tb) {
    return object(raw)
        .map(
            node -> {
              node.put("$tb", tb);
              try {
                return JSON.writeValueAsBytes(node);
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            });
  }

  /** The metadata a soft delete writes: nothing but {@code $tb} at the deleted-stream marker. */
  static byte[] softDelete() {
    return ("{\"$tb\":" + SystemNames.DELETED_STREAM + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static Optional<ObjectNode> object(byte[] raw) {
    try {
      JsonNode node = JSON.readTree(raw);
      return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static OptionalLong longField(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value != null && value.canConvertToLong()
        ? OptionalLong.of(value.asLong())
        : OptionalLong.empty();
  }
}
