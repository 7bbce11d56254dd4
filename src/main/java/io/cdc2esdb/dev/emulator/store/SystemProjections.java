package io.cdc2esdb.dev.emulator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The two standard projections cdc2esdb relies on, as link writers: {@code $by_category} links
 * every event of a stream {@code <category>-<rest>} into {@code $ce-<category>}, and {@code
 * $by_correlation_id} links every event whose JSON metadata has a string {@code $correlationId}
 * into {@code $bc-<value>}. A link is a {@code $>} event whose data is {@code
 * "<revision>@<stream>"}.
 *
 * <p>A real server runs them asynchronously, after the write; the store writes the links right
 * after the events they point to, which a client cannot tell from "shortly after".
 */
final class SystemProjections {

  /** A link to write. */
  record Link(String stream, NewEvent event) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private SystemProjections() {}

  static List<Link> linksFor(EventRecord record) {
    if (record.isLink() || record.isTombstone()) {
      return List.of();
    }
    List<Link> links = new ArrayList<>(2);
    String category = category(record.stream());
    if (category != null) {
      links.add(link(SystemNames.CATEGORY_PREFIX + category, record));
    }
    String correlationId = correlationId(record.metadata());
    if (correlationId != null) {
      links.add(link(SystemNames.CORRELATION_PREFIX + correlationId, record));
    }
    return links;
  }

  /** The part of the stream name before its first {@code -}; null for system streams and none. */
  static String category(String stream) {
    if (SystemNames.isSystemStream(stream)) {
      return null;
    }
    int dash = stream.indexOf('-');
    return dash > 0 ? stream.substring(0, dash) : null;
  }

  private static String correlationId(byte[] metadata) {
    if (metadata.length == 0) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(metadata);
      JsonNode value = node instanceof ObjectNode ? node.get("$correlationId") : null;
      return value != null && value.isTextual() ? value.asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static Link link(String stream, EventRecord target) {
    byte[] data = (target.revision() + "@" + target.stream()).getBytes(StandardCharsets.UTF_8);
    ObjectNode metadata = JSON.createObjectNode();
    metadata.put("$o", target.stream());
    metadata.put("$causedBy", target.id().toString());
    byte[] metadataBytes;
    try {
      metadataBytes = JSON.writeValueAsBytes(metadata);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return new Link(
        stream,
        new NewEvent(UUID.randomUUID(), SystemNames.LINK_EVENT, false, data, metadataBytes));
  }
}
