package io.cdc2esdb.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.StreamDeletedException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Ready = Kafka Streams is RUNNING (not starting, not rebalancing) and EventStoreDB answers. The
 * server is probed by reading a stream that never exists, at most once a second, through the same
 * client the appends use.
 */
final class Readiness {

  static final String PROBE_STREAM = "cdc2esdb-readiness-probe";
  private static final long PROBE_EVERY_MS = 1_000;
  private static final long PROBE_TIMEOUT_MS = 2_000;

  private final KafkaStreams streams;
  private final EventStoreWriter writer;
  private long probedAtMs;
  private boolean probed;
  private String eventStoreProblem = "not probed yet";
  private volatile long stateSinceMs = System.currentTimeMillis();
  private final AtomicLong leftRunning = new AtomicLong();

  Readiness(KafkaStreams streams, EventStoreWriter writer) {
    this.streams = streams;
    this.writer = writer;
  }

  /** Remembers when the state last changed and how often the instance left RUNNING. */
  void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
    stateSinceMs = System.currentTimeMillis();
    if (before == KafkaStreams.State.RUNNING && now != KafkaStreams.State.RUNNING) {
      leftRunning.incrementAndGet();
    }
  }

  /** Live unless Kafka Streams failed for good (ERROR); a restart is what helps then. */
  ObjectNode live() {
    KafkaStreams.State state = streams.state();
    boolean live = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR;
    return Json.object().put("live", live).put("state", state.name());
  }

  ObjectNode ready() {
    KafkaStreams.State state = streams.state();
    String problem = eventStoreProblem();
    boolean running = state == KafkaStreams.State.RUNNING;
    ObjectNode node = Json.object().put("ready", running && problem == null);
    node.put("state", state.name());
    node.put("stateSince", LocalQueries.iso(stateSinceMs));
    node.put("timesLeftRunning", leftRunning.get());
    node.put("eventStore", problem == null ? "reachable" : "unreachable: " + problem);
    if (!running) {
      node.put("reason", "Kafka Streams is " + state + ", not RUNNING");
    } else if (problem != null) {
      node.put("reason", "EventStoreDB is unreachable: " + problem);
    }
    return node;
  }

  private synchronized String eventStoreProblem() {
    long now = System.currentTimeMillis();
    if (!probed || now - probedAtMs >= PROBE_EVERY_MS) {
      eventStoreProblem = probe();
      probed = true;
      probedAtMs = System.currentTimeMillis();
    }
    return eventStoreProblem;
  }

  private String probe() {
    try {
      writer.read(PROBE_STREAM, 0, 1).get(PROBE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      return null;
    } catch (ExecutionException e) {
      // A tombstoned probe stream is an answer from the server all the same.
      return e.getCause() instanceof StreamDeletedException ? null : String.valueOf(e.getCause());
    } catch (TimeoutException e) {
      return "no answer within " + PROBE_TIMEOUT_MS + " ms";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
