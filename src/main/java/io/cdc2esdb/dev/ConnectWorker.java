package io.cdc2esdb.dev;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect worker in distributed mode inside this JVM, the one {@code
 * connect-distributed.sh} starts, with the plugins of the classpath (Debezium's MariaDB connector
 * among them) and its REST API on a loopback port. Connectors are registered through that API, as
 * on a real cluster.
 */
public final class ConnectWorker implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final Connect<DistributedHerder> connect;
  private final URI restUrl;
  private final HttpClient http;
  private boolean closed;

  private ConnectWorker(Connect<DistributedHerder> connect, URI restUrl) {
    this.connect = connect;
    this.restUrl = restUrl;
    this.http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();
  }

  /**
   * Starts a worker of its own group (own config, offset and status topics) on {@code
   * bootstrapServers}; returns once its REST API answers.
   */
  public static ConnectWorker start(String bootstrapServers) {
    String group = "cdc2esdb-connect-" + UUID.randomUUID();
    int port = Loopback.freePort();
    Map<String, String> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrapServers);
    props.put("group.id", group);
    props.put("config.storage.topic", group + "-configs");
    props.put("offset.storage.topic", group + "-offsets");
    props.put("status.storage.topic", group + "-statuses");
    props.put("config.storage.replication.factor", "1");
    props.put("offset.storage.replication.factor", "1");
    props.put("status.storage.replication.factor", "1");
    props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("listeners", "http://" + Loopback.HOST + ":" + port);
    props.put("rest.advertised.host.name", Loopback.HOST);
    // The default (60 s) would make a restart re-read a minute of changes.
    props.put("offset.flush.interval.ms", "1000");
    // The plugins are on the classpath and declare themselves for the ServiceLoader: no scan.
    props.put("plugin.discovery", "service_load");
    long started = System.nanoTime();
    Connect<DistributedHerder> connect = startConnect(props);
    ConnectWorker worker = new ConnectWorker(connect, connect.rest().advertisedUrl());
    try {
      worker.awaitRestApi(Duration.ofSeconds(60));
    } catch (RuntimeException e) {
      worker.close();
      throw e;
    }
    LOG.info(
        "Kafka Connect worker (distributed, group {}) on {} started in {} ms",
        group,
        worker.restUrl,
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    return worker;
  }

  // Connect's command line exits the process when the worker fails to start; here that must be
  // an exception, not the end of the JVM.
  private static Connect<DistributedHerder> startConnect(Map<String, String> props) {
    Exit.setExitProcedure(
        (code, message) -> {
          throw new IllegalStateException(
              "Kafka Connect did not start (exit " + code + "): " + message);
        });
    try {
      return new ConnectDistributed().startConnect(props);
    } finally {
      Exit.resetExitProcedure();
    }
  }

  /** The REST API's base URL, {@code http://127.0.0.1:<port>/}. */
  public URI restUrl() {
    return restUrl;
  }

  /** POSTs {@code json} to {@code /connectors} (a connector's name and config, as curl would). */
  public Response register(String json) {
    return send(
        HttpRequest.newBuilder(restUrl.resolve("/connectors"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** GET of a path of the REST API, such as {@code /connectors/NAME/status}. */
  public Response get(String path) {
    return send(HttpRequest.newBuilder(restUrl.resolve(path)).GET());
  }

  /**
   * Waits until the connector and every one of its tasks are RUNNING.
   *
   * @throws IllegalStateException when one FAILED (with its trace) or the timeout passes first
   */
  public void awaitRunning(String connector, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      Response status = get("/connectors/" + connector + "/status");
      if (status.code() == 200) {
        JsonNode body = status.json();
        last = status.body();
        if (body.toString().contains("\"FAILED\"")) {
          throw new IllegalStateException("connector " + connector + " failed: " + last);
        }
        boolean running = "RUNNING".equals(body.at("/connector/state").asText());
        JsonNode tasks = body.get("tasks");
        boolean tasksRunning = tasks != null && !tasks.isEmpty();
        for (JsonNode task : tasks == null ? Json.MAPPER.createArrayNode() : tasks) {
          tasksRunning &= "RUNNING".equals(task.get("state").asText());
        }
        if (running && tasksRunning) {
          return;
        }
      }
      sleep(200);
    }
    throw new IllegalStateException(
        "connector " + connector + " not running within " + timeout + ": " + last);
  }

  /**
   * Waits until the Debezium connector of {@code topicPrefix} has finished its snapshot and reads
   * the binlog: changes made before that are read by the snapshot, not streamed.
   */
  public void awaitStreaming(String topicPrefix, Duration timeout) {
    DebeziumStreamingProbe probe = new DebeziumStreamingProbe(topicPrefix);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!probe.streaming()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Debezium (topic prefix " + topicPrefix + ") not streaming within " + timeout);
      }
      sleep(100);
    }
  }

  private void awaitRestApi(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (get("/connectors").code() == 200) {
          return;
        }
      } catch (IllegalStateException e) {
        last = e;
      }
      sleep(200);
    }
    throw new IllegalStateException("Kafka Connect's REST API did not answer", last);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(request.timeout(REQUEST_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body());
    } catch (IOException e) {
      throw new IllegalStateException("Kafka Connect at " + restUrl + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops the worker (its connectors and tasks first) and waits for it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    connect.stop();
    connect.awaitStop();
  }

  /** An HTTP answer of the REST API. */
  public record Response(int code, String body) {
    public JsonNode json() {
      try {
        return Json.MAPPER.readTree(body);
      } catch (IOException e) {
        throw new IllegalStateException("not JSON: " + body, e);
      }
    }
  }
}
