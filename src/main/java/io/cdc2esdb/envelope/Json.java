package io.cdc2esdb.envelope;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The project's one JSON mapper and the few helpers every JSON-reading part needs. */
public final class Json {
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  /** Parses JSON bytes; throws {@link IOException} on anything that is not one JSON document. */
  public static JsonNode read(byte[] bytes) throws IOException {
    return MAPPER.readTree(bytes);
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Strips Kafka Connect's JsonConverter schema wrapper ({@code {"schema": ..., "payload": ...}},
   * written when {@code schemas.enable=true}); a document without it is returned as it is.
   */
  public static JsonNode withoutSchemaWrapper(JsonNode node) {
    if (node != null
        && node.isObject()
        && node.size() == 2
        && node.has("schema")
        && node.has("payload")) {
      return node.get("payload");
    }
    return node;
  }

  /** The node, or {@code null} when it is absent or JSON {@code null}. */
  public static JsonNode orNull(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }
}
