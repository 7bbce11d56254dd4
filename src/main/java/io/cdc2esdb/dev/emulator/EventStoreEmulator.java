package io.cdc2esdb.dev.emulator;

import io.cdc2esdb.dev.emulator.store.EmulatorStore;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EventStoreDB/KurrentDB stand-in that the real clients ({@code db-client-java} 5.4.5, {@code
 * kurrentdb-client} 1.1.0) cannot tell from a single-node server of the chosen {@link
 * ServerVersion} for what cdc2esdb does: a gRPC server on the clients' own generated service
 * classes (v1 Streams with BatchAppend, ServerFeatures, Gossip; from 25.1 the v2 StreamsService's
 * AppendSession) over {@link EmulatorStore}. Accepts any credentials (no ACLs) and plain text only.
 *
 * <pre>{@code
 * try (EventStoreEmulator emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral())) {
 *   EventStoreDBClient client = EventStoreDBClient.create(
 *       EventStoreDBConnectionString.parseOrThrow(emulator.connectionString()));
 *   ...
 * }
 * }</pre>
 */
public final class EventStoreEmulator implements AutoCloseable {

  /** The server takes gRPC messages up to about this size (grpc-java's own default is 4 MiB). */
  static final int MAX_INBOUND_MESSAGE_BYTES = 16 * 1024 * 1024;

  /** One I/O thread per core, at most two: appends serialise on the store's lock anyway. */
  private static final int IO_THREADS = Math.min(2, Runtime.getRuntime().availableProcessors());

  private static final Logger log = LoggerFactory.getLogger(EventStoreEmulator.class);

  private final EmulatorStore store;
  private final EmulatorThreads threads = new EmulatorThreads();
  private final ExecutorService readers;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final StreamsService streams;
  private final Server server;
  private final String advertisedHost;
  private final ServerVersion version;

  private EventStoreEmulator(EmulatorOptions options) throws IOException {
    this.store =
        EmulatorStore.open(
            EmulatorStore.Options.inMemory()
                .withDataDir(options.dataDir())
                .withFsync(options.fsync())
                .withProjections(options.projections())
                .withClock(options.clock()));
    this.readers = Executors.newCachedThreadPool(threads.factory("emulator-read-"));
    this.boss = new NioEventLoopGroup(1, threads.factory("emulator-accept-"));
    this.workers = new NioEventLoopGroup(IO_THREADS, threads.factory("emulator-io-"));
    this.advertisedHost = advertised(options.host());
    this.streams =
        new StreamsService(
            store, options.maxAppendSize(), options.batchAppend(), readers, this::address);
    this.version = options.serverVersion();
    try {
      NettyServerBuilder builder =
          NettyServerBuilder.forAddress(new InetSocketAddress(options.host(), options.port()))
              .channelType(NioServerSocketChannel.class)
              .bossEventLoopGroup(boss)
              .workerEventLoopGroup(workers)
              // Calls run on the I/O threads: an append is parsed, checked and committed where its
              // bytes arrive, with no hand-off to another thread per message. Nothing in a call
              // blocks but the store's short write lock (and, with fsync, the group commit);
              // reads and subscriptions do their work on their own executor.
              .directExecutor();
      if (version.servesAppendSession()) {
        builder.addService(
            new AppendSessionService(
                store,
                options.maxAppendSize(),
                options.maxAppendEventSize(),
                version,
                streams::nextFault,
                this::address));
      }
      this.server =
          builder
              .addService(streams)
              .addService(new ServerFeaturesService(version, options.batchAppend()))
              .addService(new GossipService(this::address))
              // The client pings every 10 s; grpc-java's default policy (5 min) would answer an
              // idle subscription's pings with too_many_pings and kill it after about 30 s.
              .permitKeepAliveTime(1, TimeUnit.SECONDS)
              .permitKeepAliveWithoutCalls(true)
              .maxInboundMessageSize(MAX_INBOUND_MESSAGE_BYTES)
              .build()
              .start();
    } catch (IOException | RuntimeException e) {
      shutdownThreads();
      store.close();
      throw e;
    }
  }

  /** Starts an emulator; it runs until {@link #close()}. */
  public static EventStoreEmulator start(EmulatorOptions options) {
    try {
      EventStoreEmulator emulator = new EventStoreEmulator(options);
      log.info(
          "EventStoreDB emulator listening on {} (as {}{}, {})",
          emulator.connectionString(),
          options.serverVersion().reported(),
          options.serverVersion().servesAppendSession() ? " with v2 AppendSession" : "",
          options.dataDir() == null ? "in memory" : "data in " + options.dataDir());
      return emulator;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the emulator on " + options.host() + ":" + options.port(), e);
    }
  }

  /** The server this emulator plays. */
  public ServerVersion serverVersion() {
    return version;
  }

  public int port() {
    return server.getPort();
  }

  public String host() {
    return advertisedHost;
  }

  /** The connection string a client uses: {@code esdb://HOST:PORT?tls=false}. */
  public String connectionString() {
    return "esdb://" + advertisedHost + ":" + port() + "?tls=false";
  }

  /** The same server for {@code kurrentdb-client}: {@code kurrentdb://HOST:PORT?tls=false}. */
  public String kurrentdbConnectionString() {
    return "kurrentdb://" + advertisedHost + ":" + port() + "?tls=false";
  }

  /**
   * Makes the next appends (v1 Append, each append of a v1 BatchAppend, v2 AppendSession alike)
   * fail as given, one fault per append, in order.
   */
  public void injectAppendFaults(AppendFault... faults) {
    streams.injectAppendFaults(faults);
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    } finally {
      shutdownThreads();
      store.close();
    }
  }

  /** CPU time the emulator's own threads have used so far, in nanoseconds. */
  public long cpuNanos() {
    return threads.cpuNanos();
  }

  private void shutdownThreads() {
    readers.shutdownNow();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(advertisedHost, port());
  }

  private static String advertised(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isAnyLocalAddress() ? InetAddress.getLoopbackAddress().getHostAddress() : host;
    } catch (UnknownHostException e) {
      return host;
    }
  }
}
