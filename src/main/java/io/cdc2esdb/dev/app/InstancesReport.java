package io.cdc2esdb.dev.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The demo's last lines: what one instance's {@code GET /instances} says about all of them. */
final class InstancesReport {

  private InstancesReport() {}

  static void print(PrintWriter out, String address) {
    out.printf("%nInstances (GET http://%s/instances):%n", address);
    try {
      JsonNode body = Json.read(get(address, "/instances"));
      for (JsonNode instance : body.get("instances")) {
        out.printf(
            "  %-22s %-12s active tasks %-24s standby tasks %s%n",
            instance.get("instance").asText(),
            instance.get("state").asText(),
            String.join(" ", tasks(instance, "activeTasks")),
            String.join(" ", tasks(instance, "standbyTasks")));
      }
    } catch (IOException e) {
      out.printf("  (no answer: %s)%n", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    out.flush();
  }

  private static List<String> tasks(JsonNode instance, String kind) {
    List<String> tasks = new ArrayList<>();
    JsonNode threads = instance.get("threads");
    if (threads != null) {
      threads.forEach(t -> t.get(kind).forEach(task -> tasks.add(task.get("task").asText())));
    }
    return tasks.isEmpty() ? List.of("-") : tasks;
  }

  private static byte[] get(String address, String path) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://" + address + path))
            .timeout(Duration.ofSeconds(10))
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofByteArray()).body();
  }
}
