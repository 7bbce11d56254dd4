package io.cdc2esdb.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks other instances (at their {@code application.server}) what their own stores say, through
 * their {@code /local/...} endpoints. Calls run in parallel; an instance that does not answer in
 * time, or answers 5xx, is reported as such, never taken for "not there".
 */
final class Peers {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** What one instance answered: its status and JSON body, or the failure that came instead. */
  record Answer(HostInfo host, int status, JsonNode body, String failure) {
    boolean ok() {
      return status == 200;
    }

    boolean notFound() {
      return status == 404;
    }
  }

  /** GETs {@code pathAndQuery} from every one of {@code hosts}, in parallel. */
  List<Answer> getAll(List<HostInfo> hosts, String pathAndQuery) {
    List<CompletableFuture<Answer>> calls = hosts.stream().map(h -> get(h, pathAndQuery)).toList();
    return calls.stream().map(CompletableFuture::join).toList();
  }

  CompletableFuture<Answer> get(HostInfo host, String pathAndQuery) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery))
            .timeout(TIMEOUT)
            .header("Accept", Reply.JSON)
            .GET()
            .build();
    return client
        .sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                return new Answer(host, 0, null, String.valueOf(failure.getMessage()));
              }
              try {
                return new Answer(host, response.statusCode(), Json.read(response.body()), null);
              } catch (IOException e) {
                return new Answer(host, response.statusCode(), null, "not JSON: " + e.getMessage());
              }
            });
  }
}
