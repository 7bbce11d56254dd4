package io.cdc2esdb.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A plain HTTP GET for the tests, as curl would do it. */
record HttpGet(int status, String body, Optional<String> retryAfter) {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  static HttpGet get(String address, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + path))
            .timeout(Duration.ofSeconds(15))
            .build();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new HttpGet(
          response.statusCode(), response.body(), response.headers().firstValue("Retry-After"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The status, or 0 when nothing answered (the instance is gone or not yet listening). */
  static int status(String address, String path) {
    try {
      return get(address, path).status();
    } catch (UncheckedIOException e) {
      return 0;
    }
  }

  JsonNode json() {
    try {
      return Json.MAPPER.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }
}
