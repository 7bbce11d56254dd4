package io.cdc2esdb.dev.app;

import io.cdc2esdb.dev.EmbeddedKafka;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code broker} (hidden): the embedded KRaft broker as a process of its own, for the benchmarks
 * and fault tests that run broker, emulator and cdc2esdb as separate processes. Prints {@code
 * bootstrap.servers=<host:port>} once it accepts clients, then serves until SIGTERM.
 */
@Command(
    name = "broker",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "Runs a fresh single-node KRaft broker on a free loopback port until stopped.")
public final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--dir",
      description = "Keep the broker's files under this directory (default: a temporary one).")
  Path dir;

  @Option(
      names = "--broker-property",
      description = "A broker setting over the defaults, name=value (repeatable).")
  Map<String, String> properties = Map.of();

  @Override
  public Integer call() throws InterruptedException {
    EmbeddedKafka.Builder builder = EmbeddedKafka.builder();
    if (dir != null) {
      builder.directory(dir);
    }
    properties.forEach(builder::brokerProperty);
    EmbeddedKafka kafka = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  kafka.close();
                  stopped.countDown();
                },
                "broker-shutdown"));
    System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
