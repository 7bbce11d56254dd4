package io.cdc2esdb.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What one request gets back, independent of the HTTP server that sends it. */
record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

  static final String JSON = "application/json";
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  static Reply json(int status, JsonNode body) {
    return new Reply(status, JSON, Json.bytes(body), Map.of());
  }

  static Reply ok(JsonNode body) {
    return json(200, body);
  }

  static Reply text(String contentType, String body) {
    return new Reply(200, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  static Reply error(QueryException e) {
    return error(e.status(), e.code(), e.getMessage(), e.retryAfterSeconds());
  }

  static Reply error(int status, String code, String message, Integer retryAfterSeconds) {
    ObjectNode body = Json.object().put("status", status).put("error", code);
    body.put("message", message);
    Map<String, String> headers =
        retryAfterSeconds == null ? Map.of() : Map.of("Retry-After", retryAfterSeconds.toString());
    return new Reply(status, JSON, Json.bytes(body), headers);
  }

  String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
