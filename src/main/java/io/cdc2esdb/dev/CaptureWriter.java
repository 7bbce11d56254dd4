package io.cdc2esdb.dev;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes records as JSON Lines in the capture format, with exact bytes only ({@code *_raw_utf8}),
 * so that reading the file back gives the same bytes. Each line is flushed, so a file being written
 * by a running demo can be followed with {@code tail -f}.
 */
public final class CaptureWriter implements AutoCloseable {

  private final Writer out;

  private CaptureWriter(Writer out) {
    this.out = out;
  }

  /** Creates (or replaces) the file. */
  public static CaptureWriter create(Path file) {
    try {
      return new CaptureWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write capture file " + file, e);
    }
  }

  /** Writes to a stream, which {@link #close()} closes. */
  public static CaptureWriter to(OutputStream stream) {
    return new CaptureWriter(
        new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8)));
  }

  /**
   * @throws IllegalArgumentException when a key, value or header is not UTF-8 text (e.g. Avro): the
   *     format could not give those bytes back.
   */
  public synchronized void write(CaptureRecord record) {
    String line = toJson(record).toString();
    try {
      out.write(line);
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode toJson(CaptureRecord record) {
    ObjectNode node = CaptureFile.JSON.createObjectNode();
    node.put("topic", record.topic());
    node.put("partition", record.partition());
    node.put("offset", record.offset());
    node.put("timestamp", record.timestamp());
    node.put("key_raw_utf8", text(record.key(), record, "key"));
    node.put("value_raw_utf8", text(record.value(), record, "value"));
    node.set("headers_raw_utf8", headers(record));
    return node;
  }

  // An object reads best, but cannot hold a repeated name: then fall back to an array of pairs.
  private static JsonNode headers(CaptureRecord record) {
    List<CaptureRecord.Header> headers = record.headers();
    Set<String> names = new HashSet<>();
    boolean unique = headers.stream().allMatch(h -> names.add(h.name()));
    if (unique) {
      ObjectNode object = CaptureFile.JSON.createObjectNode();
      headers.forEach(h -> object.put(h.name(), text(h.value(), record, "header " + h.name())));
      return object;
    }
    ArrayNode array = CaptureFile.JSON.createArrayNode();
    for (CaptureRecord.Header h : headers) {
      array.addObject().put("key", h.name()).put("value", text(h.value(), record, h.name()));
    }
    return array;
  }

  private static String text(byte[] bytes, CaptureRecord record, String what) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "the " + what + " of " + record + " is not UTF-8 text; capture files hold text only", e);
    }
  }
}
