package io.cdc2esdb.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.metrics.CdcMetrics;
import io.cdc2esdb.topology.CdcTopology;
import io.cdc2esdb.txn.TransactionInfo;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The endpoints, as plain calls from (method, path, query parameters) to a {@link Reply}; {@link
 * QueryServer} only carries them over HTTP.
 *
 * <p>Finding a stream's owner: {@code stream-positions} is keyed by stream name, but a task owns a
 * partition of the Debezium topics, which Debezium chose by hashing its own record key (the
 * primary-key struct as the converter serialized it). {@code queryMetadataForKey(streamName)}
 * hashes the stream name instead and so names the wrong instance for most streams; the source key
 * cannot be rebuilt from the name byte for byte (it depends on the converter and its settings). So
 * a stream is looked up in this instance's active tasks, then asked of every other instance that
 * hosts the store ({@code /local/streams/...}), in parallel: exactly the owner has it. An instance
 * that does not answer makes the result 503, never 404.
 */
final class QueryApi {

  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1_000;
  private static final int MAX_NAME_LENGTH = 2_000;

  private final HostInfo self;
  private final Peers peers = new Peers();
  private volatile Attached attached;

  private record Attached(
      KafkaStreams streams,
      Topology topology,
      LocalQueries local,
      Readiness readiness,
      CdcMetrics metrics) {}

  QueryApi(HostInfo self) {
    this.self = self;
  }

  void attach(
      KafkaStreams streams,
      Topology topology,
      Readiness readiness,
      CdcMetrics metrics,
      long transactionMaxWaitMs) {
    attached =
        new Attached(
            streams,
            topology,
            new LocalQueries(streams, self, transactionMaxWaitMs),
            readiness,
            metrics);
  }

  Reply handle(String method, String path, Function<String, String> params) {
    if (!"GET".equals(method)) {
      return Reply.error(405, "method-not-allowed", "only GET is served", null);
    }
    try {
      return route(path, params);
    } catch (QueryException e) {
      return Reply.error(e);
    } catch (InvalidStateStoreException e) {
      return Reply.error(
          QueryException.unavailable(
              "store-unavailable", "the store is not queryable now: " + e.getMessage()));
    }
  }

  private Reply route(String path, Function<String, String> params) {
    if (path.equals("/health/live")) {
      Attached a = attached;
      return a == null
          ? Reply.ok(Json.object().put("live", true).put("state", "STARTING"))
          : jsonStatus(a.readiness.live(), "live");
    }
    Attached a = attached;
    if (a == null) {
      throw QueryException.unavailable("starting", "cdc2esdb is starting");
    }
    if (path.equals("/health/ready")) {
      return jsonStatus(a.readiness.ready(), "ready");
    }
    if (path.equals("/metrics")) {
      return metrics(a);
    }
    if (path.equals("/topology")) {
      return Reply.ok(Json.object().put("description", a.topology.describe().toString()));
    }
    if (path.equals("/instances")) {
      return instances(a);
    }
    if (path.equals("/local/instance")) {
      return Reply.ok(a.local.instance());
    }
    if (path.startsWith("/transactions/")) {
      return transaction(a, name(path.substring("/transactions/".length()), "transaction id"));
    }
    requireRunning(a);
    if (path.equals("/streams")) {
      return streams(a, params);
    }
    if (path.startsWith("/streams/")) {
      return stream(a, name(path.substring("/streams/".length()), "stream name"));
    }
    if (path.equals("/pending")) {
      return pending(a);
    }
    if (path.equals("/local/streams")) {
      return localStreams(a, params);
    }
    if (path.startsWith("/local/streams/")) {
      String stream = name(path.substring("/local/streams/".length()), "stream name");
      return a.local.stream(stream).map(Reply::ok).orElseThrow(() -> notWritten(stream));
    }
    if (path.equals("/local/pending")) {
      ObjectNode body = Json.object();
      a.local.pending(System.currentTimeMillis()).forEach(body.putArray("tasks")::add);
      return Reply.ok(body);
    }
    throw QueryException.notFound("no-such-endpoint", "no endpoint " + path + "; see the README");
  }

  private static Reply jsonStatus(ObjectNode body, String field) {
    return Reply.json(body.get(field).asBoolean() ? 200 : 503, body);
  }

  private static void requireRunning(Attached a) {
    KafkaStreams.State state = a.streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      throw QueryException.unavailable(
          "not-running", "Kafka Streams is " + state + "; stores answer once it is RUNNING");
    }
  }

  private Reply stream(Attached a, String stream) {
    var local = a.local.stream(stream);
    if (local.isPresent()) {
      return Reply.ok(local.get().put("askedInstance", address(self)));
    }
    List<Peers.Answer> answers =
        peers.getAll(
            otherHosts(a, CdcTopology.POSITIONS_STORE), "/local/streams/" + encode(stream));
    for (Peers.Answer answer : answers) {
      if (answer.ok()) {
        return Reply.ok(((ObjectNode) answer.body()).put("askedInstance", address(self)));
      }
    }
    requireAllAnswered(answers);
    throw notWritten(stream);
  }

  private static QueryException notWritten(String stream) {
    return QueryException.notFound("unknown-stream", "no stream " + stream + " was written");
  }

  private Reply streams(Attached a, Function<String, String> params) {
    String prefix = params.apply("prefix") == null ? "" : params.apply("prefix");
    String after = params.apply("after");
    int limit = limit(params.apply("limit"), MAX_LIMIT);
    List<HostInfo> hosts = otherHosts(a, CdcTopology.POSITIONS_STORE);
    String query =
        "/local/streams?prefix="
            + encode(prefix)
            + "&limit="
            + (limit + 1)
            + (after == null ? "" : "&after=" + encode(after));
    List<JsonNode> all = new ArrayList<>(a.local.streams(prefix, after, limit + 1));
    List<Peers.Answer> answers = peers.getAll(hosts, query);
    requireAllAnswered(answers);
    answers.forEach(answer -> answer.body().get("streams").forEach(all::add));
    all.sort(Comparator.comparing(n -> n.get("stream").asText()));
    ObjectNode body = Json.object();
    ArrayNode page = body.putArray("streams");
    all.stream().limit(limit).forEach(page::add);
    if (all.size() > limit) {
      body.put("next", all.get(limit - 1).get("stream").asText());
    } else {
      body.putNull("next");
    }
    return Reply.ok(body);
  }

  private Reply localStreams(Attached a, Function<String, String> params) {
    String prefix = params.apply("prefix") == null ? "" : params.apply("prefix");
    int limit = limit(params.apply("limit"), MAX_LIMIT + 1);
    ObjectNode body = Json.object();
    a.local.streams(prefix, params.apply("after"), limit).forEach(body.putArray("streams")::add);
    return Reply.ok(body);
  }

  private Reply pending(Attached a) {
    List<JsonNode> tasks = new ArrayList<>(a.local.pending(System.currentTimeMillis()));
    List<Peers.Answer> answers =
        peers.getAll(otherHosts(a, CdcTopology.PENDING_STORE), "/local/pending");
    requireAllAnswered(answers);
    answers.forEach(answer -> answer.body().get("tasks").forEach(tasks::add));
    tasks.sort(Comparator.comparing(n -> n.get("partition").asInt()));
    ObjectNode body = Json.object();
    body.put("events", tasks.stream().mapToLong(t -> t.get("events").asLong()).sum());
    tasks.forEach(body.putArray("tasks")::add);
    return Reply.ok(body);
  }

  private Reply transaction(Attached a, String id) {
    TransactionInfo info =
        a.local
            .transaction(id)
            .orElseThrow(
                () ->
                    QueryException.notFound(
                        "unknown-transaction", "no transaction " + id + " is known"));
    ObjectNode body = Json.MAPPER.valueToTree(info);
    body.put("beginTime", info.beginTsMs() > 0 ? LocalQueries.iso(info.beginTsMs()) : null);
    body.put("endTime", info.endTsMs() > 0 ? LocalQueries.iso(info.endTsMs()) : null);
    body.put("instance", address(self));
    return Reply.ok(body);
  }

  private Reply instances(Attached a) {
    ObjectNode body = Json.object().put("askedInstance", address(self));
    ArrayNode list = body.putArray("instances");
    List<StreamsMetadata> clients =
        a.streams.metadataForAllStreamsClients().stream()
            .sorted(Comparator.comparing(m -> address(m.hostInfo())))
            .toList();
    List<HostInfo> others =
        clients.stream().map(StreamsMetadata::hostInfo).filter(h -> !h.equals(self)).toList();
    List<Peers.Answer> answers = peers.getAll(others, "/local/instance");
    for (StreamsMetadata client : clients) {
      ObjectNode node = list.addObject().put("instance", address(client.hostInfo()));
      JsonNode own =
          client.hostInfo().equals(self)
              ? a.local.instance()
              : answers.stream()
                  .filter(x -> x.host().equals(client.hostInfo()))
                  .findFirst()
                  .map(x -> x.ok() ? x.body() : null)
                  .orElse(null);
      node.put("state", own == null ? "UNREACHABLE" : own.get("state").asText());
      partitions(node.putArray("activePartitions"), client.topicPartitions());
      partitions(node.putArray("standbyPartitions"), client.standbyTopicPartitions());
      if (own != null) {
        node.set("threads", own.get("threads"));
      }
    }
    return Reply.ok(body);
  }

  private static void partitions(ArrayNode array, Set<TopicPartition> partitions) {
    new TreeSet<>(partitions.stream().map(TopicPartition::toString).toList()).forEach(array::add);
  }

  private Reply metrics(Attached a) {
    if (a.streams.state() == KafkaStreams.State.RUNNING) {
      try {
        a.metrics.updatePending(
            a.local.pending(System.currentTimeMillis()).stream()
                .map(
                    t ->
                        new CdcMetrics.TaskBacklog(
                            t.get("task").asText(),
                            t.get("events").asLong(),
                            t.get("oldestAgeMs").asLong() / 1000.0))
                .toList());
      } catch (InvalidStateStoreException e) {
        // Rebalancing: the gauges keep their last values until the stores are back.
      }
    }
    return Reply.text(Reply.PROMETHEUS_TEXT, a.metrics.scrape());
  }

  private List<HostInfo> otherHosts(Attached a, String store) {
    return a.streams.streamsMetadataForStore(store).stream()
        .map(StreamsMetadata::hostInfo)
        .filter(h -> !h.equals(self))
        .distinct()
        .toList();
  }

  private static void requireAllAnswered(List<Peers.Answer> answers) {
    for (Peers.Answer answer : answers) {
      if (!answer.ok() && !answer.notFound()) {
        throw QueryException.unavailable(
            "instance-unavailable",
            "instance "
                + address(answer.host())
                + " did not answer ("
                + (answer.failure() != null ? answer.failure() : "HTTP " + answer.status())
                + "); retry");
      }
    }
  }

  static int limit(String value, int max) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw QueryException.badRequest(
        "bad-limit", "limit must be a whole number from 1 to " + max + ", not " + value);
  }

  /** A stream name or transaction id from the path: not empty, no control characters, no $. */
  static String name(String value, String what) {
    boolean bad =
        value.isEmpty()
            || value.length() > MAX_NAME_LENGTH
            || value.startsWith("$")
            || value.chars().anyMatch(c -> Character.isISOControl(c));
    if (bad) {
      throw QueryException.badRequest(
          "malformed-name",
          "not a valid "
              + what
              + ": must be 1 to "
              + MAX_NAME_LENGTH
              + " characters, no control characters, not starting with $");
    }
    return value;
  }

  /** {@code host:port}, as {@code application.server} has it. */
  static String address(HostInfo host) {
    return host.host() + ":" + host.port();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
