package io.cdc2esdb.dev;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads capture files: JSON Lines with one Kafka record a line, or one JSON array of such records.
 *
 * <p>A record names {@code topic}, {@code partition}, {@code offset}, {@code timestamp}, and gives
 * its bytes either exactly ({@code key_raw_utf8}, {@code value_raw_utf8}, {@code headers_raw_utf8})
 * or as parsed JSON ({@code key}, {@code value}, {@code headers}). The exact form wins when both
 * are present, because parsed JSON cannot say how the bytes were spaced or quoted; a parsed key or
 * value is written back compactly, as Kafka's JSON converter would. A null value is a tombstone.
 * Unknown fields (e.g. {@code captured_via}) are ignored.
 */
public final class CaptureFile {

  // Exact decimals: a parsed value such as 12.50 is written back as 12.50, not 12.5.
  static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
          .build();

  private CaptureFile() {}

  /**
   * @throws CaptureFormatException naming the line (or array element) that is not a record
   */
  public static List<CaptureRecord> read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read capture file " + file, e);
    }
  }

  /**
   * Reads JSON Lines or a JSON array from a stream (e.g. a resource in the jar), which it does not
   * close.
   *
   * @param source names the input in error messages
   */
  public static List<CaptureRecord> read(InputStream in, String source) {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    try {
      return startsWithArray(reader) ? readArray(reader, source) : readLines(reader, source);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read capture " + source, e);
    }
  }

  /** Writes records as JSON Lines with exact bytes, replacing the file. */
  public static void write(Path file, Collection<CaptureRecord> records) {
    try (CaptureWriter writer = CaptureWriter.create(file)) {
      for (CaptureRecord record : records) {
        writer.write(record);
      }
    }
  }

  /** One record from its JSON object. */
  public static CaptureRecord parse(JsonNode node) {
    if (!node.isObject()) {
      throw new IllegalArgumentException("a capture record must be a JSON object");
    }
    JsonNode topic = node.get("topic");
    if (topic == null || !topic.isTextual()) {
      throw new IllegalArgumentException("a capture record needs a \"topic\" string");
    }
    return new CaptureRecord(
        topic.asText(),
        node.path("partition").asInt(0),
        node.path("offset").asLong(CaptureRecord.UNKNOWN),
        node.path("timestamp").asLong(CaptureRecord.UNKNOWN),
        bytes(node, "key_raw_utf8", "key"),
        bytes(node, "value_raw_utf8", "value"),
        headers(exactOrParsed(node, "headers_raw_utf8", "headers")));
  }

  private static boolean startsWithArray(BufferedReader reader) throws IOException {
    reader.mark(1 << 16);
    int c;
    do {
      c = reader.read();
    } while (c != -1 && Character.isWhitespace(c));
    reader.reset();
    return c == '[';
  }

  private static List<CaptureRecord> readArray(Reader reader, String source) throws IOException {
    JsonNode array;
    try {
      array = JSON.readTree(reader);
    } catch (JsonProcessingException e) {
      throw new CaptureFormatException(source, "JSON array", e.getOriginalMessage());
    }
    List<CaptureRecord> records = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      try {
        records.add(parse(array.get(i)));
      } catch (IllegalArgumentException e) {
        throw new CaptureFormatException(source, "element " + i, e.getMessage());
      }
    }
    return records;
  }

  private static List<CaptureRecord> readLines(BufferedReader reader, String source)
      throws IOException {
    List<CaptureRecord> records = new ArrayList<>();
    int lineNumber = 0;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      lineNumber++;
      if (line.isBlank()) {
        continue;
      }
      try {
        records.add(parse(JSON.readTree(line)));
      } catch (JsonProcessingException e) {
        throw new CaptureFormatException(source, "line " + lineNumber, e.getOriginalMessage());
      } catch (IllegalArgumentException e) {
        throw new CaptureFormatException(source, "line " + lineNumber, e.getMessage());
      }
    }
    return records;
  }

  private static JsonNode exactOrParsed(JsonNode node, String exact, String parsed) {
    JsonNode raw = node.get(exact);
    return raw != null && !raw.isNull() ? raw : node.get(parsed);
  }

  private static byte[] bytes(JsonNode node, String exact, String parsed) {
    JsonNode raw = node.get(exact);
    if (raw != null && raw.isTextual()) {
      return CaptureRecord.utf8(raw.asText());
    }
    JsonNode value = raw != null && !raw.isNull() ? raw : node.get(parsed);
    return value == null || value.isNull() ? null : CaptureRecord.utf8(value.toString());
  }

  /** Headers as an object (name -> value) or, where names repeat, an array of pairs. */
  private static List<CaptureRecord.Header> headers(JsonNode node) {
    List<CaptureRecord.Header> headers = new ArrayList<>();
    if (node == null || node.isNull()) {
      return headers;
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        headers.add(new CaptureRecord.Header(field.getKey(), headerValue(field.getValue())));
      }
    } else if (node.isArray()) {
      for (JsonNode pair : node) {
        headers.add(headerPair(pair));
      }
    } else {
      throw new IllegalArgumentException("headers must be a JSON object or array");
    }
    return headers;
  }

  private static CaptureRecord.Header headerPair(JsonNode pair) {
    if (pair.isArray() && pair.size() == 2) {
      return new CaptureRecord.Header(pair.get(0).asText(), headerValue(pair.get(1)));
    }
    JsonNode name = pair.has("key") ? pair.get("key") : pair.get("name");
    if (name == null || !name.isTextual()) {
      throw new IllegalArgumentException("a header needs a \"key\" (or \"name\") string");
    }
    return new CaptureRecord.Header(name.asText(), headerValue(pair.get("value")));
  }

  // Header values were text before they were parsed "as JSON where possible": a string is taken
  // as the header's own text, anything else as its JSON.
  private static byte[] headerValue(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    return CaptureRecord.utf8(value.isTextual() ? value.asText() : value.toString());
  }
}
