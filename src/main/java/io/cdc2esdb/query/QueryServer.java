package io.cdc2esdb.query;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.metrics.CdcMetrics;
import io.cdc2esdb.sink.EventStoreWriter;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cdc2esdb's HTTP surface (interactive queries, health, metrics) on Jetty 12's core server. It is
 * bound before Kafka Streams is built, so that a port 0 is known when {@code application.server} is
 * set, and answers 503 until {@link #serve} hands it the running instance.
 */
public final class QueryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);

  private final Server server;
  private final HostInfo advertised;
  private final QueryApi api;
  private volatile Readiness readiness;

  private QueryServer(Server server, HostInfo advertised, QueryApi api) {
    this.server = server;
    this.advertised = advertised;
    this.api = api;
  }

  /**
   * Binds {@code http.listen} (nothing when it is empty) and sets {@code application.server} in
   * {@code streamsProperties} to the bound address unless it is set already.
   *
   * @throws ConfigException when the address cannot be bound or cannot be advertised
   */
  public static Optional<QueryServer> open(CdcConfig config, Properties streamsProperties) {
    String listen = config.httpListen();
    if (listen.isEmpty()) {
      return Optional.empty();
    }
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(listen.substring(colon + 1));
    String configured = streamsProperties.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG);
    boolean wildcard = host.isEmpty() || host.equals("0.0.0.0") || host.equals("::");
    if (wildcard && (configured == null || configured.isBlank())) {
      throw new ConfigException(
          StreamsConfig.APPLICATION_SERVER_CONFIG,
          null,
          "must be set to this instance's reachable host:port when "
              + CdcConfig.HTTP_LISTEN
              + " binds all interfaces ("
              + listen
              + ")");
    }
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("cdc2esdb-http");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setErrorHandler(new JsonErrors());
    Routes routes = new Routes();
    server.setHandler(routes);
    try {
      server.start();
    } catch (Exception e) {
      stopQuietly(server);
      throw new ConfigException(CdcConfig.HTTP_LISTEN, listen, "cannot listen: " + e.getMessage());
    }
    HostInfo advertised =
        configured == null || configured.isBlank()
            ? new HostInfo(host, connector.getLocalPort())
            : HostInfo.buildFromEndpoint(configured);
    streamsProperties.put(StreamsConfig.APPLICATION_SERVER_CONFIG, QueryApi.address(advertised));
    QueryApi api = new QueryApi(advertised);
    routes.api = api;
    QueryServer query = new QueryServer(server, advertised, api);
    LOG.info("HTTP on {} (application.server {})", listen, QueryApi.address(advertised));
    return Optional.of(query);
  }

  /** The address other instances reach this one at ({@code application.server}). */
  public String address() {
    return advertised.host() + ":" + advertised.port();
  }

  /**
   * Starts answering for {@code streams}; before this every endpoint but liveness answers 503. Call
   * it before {@code streams.start()}: it installs Kafka Streams' state listener (which logs each
   * change) for readiness.
   */
  public void serve(
      KafkaStreams streams,
      Topology topology,
      EventStoreWriter writer,
      CdcMetrics metrics,
      CdcConfig config) {
    metrics.bind(streams);
    readiness = new Readiness(streams, writer);
    api.attach(streams, topology, readiness, metrics, config.transactionMaxWaitMs());
  }

  /**
   * Call from Kafka Streams' state listener (the owner of the instance keeps that one listener):
   * readiness remembers when the state changed and how often it left RUNNING.
   */
  public void onStateChange(KafkaStreams.State now, KafkaStreams.State before) {
    Readiness current = readiness;
    if (current != null) {
      current.onStateChange(now, before);
    }
  }

  @Override
  public void close() {
    stopQuietly(server);
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("HTTP server did not stop cleanly", e);
    }
  }

  /** Carries requests to the API; set once the bound port, and so the address, is known. */
  private static final class Routes extends Handler.Abstract {
    private volatile QueryApi api;

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Reply reply;
      QueryApi api = this.api;
      try {
        if (api == null) {
          throw QueryException.unavailable("starting", "cdc2esdb is starting");
        }
        Fields params = Request.extractQueryParameters(request);
        reply =
            api.handle(request.getMethod(), Request.getPathInContext(request), params::getValue);
      } catch (QueryException e) {
        reply = Reply.error(e);
      } catch (RuntimeException e) {
        LOG.warn("Request {} failed", request.getHttpURI(), e);
        reply = Reply.error(500, "internal", String.valueOf(e.getMessage()), null);
      }
      send(reply, response, callback);
      return true;
    }
  }

  private static void send(Reply reply, Response response, Callback callback) {
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    reply.headers().forEach((name, value) -> response.getHeaders().put(name, value));
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  /** Jetty's own errors (a malformed URI, say) as JSON too, never an HTML page or a trace. */
  private static final class JsonErrors extends ErrorHandler {
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      Object status = request.getAttribute(ERROR_STATUS);
      int code = status instanceof Integer i ? i : 500;
      Object message = request.getAttribute(ERROR_MESSAGE);
      send(
          Reply.error(
              code, code == 400 ? "bad-request" : "http-" + code, String.valueOf(message), null),
          response,
          callback);
      return true;
    }
  }
}
