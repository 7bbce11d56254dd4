package io.cdc2esdb.dev.app;

import io.cdc2esdb.dev.bench.SeedBaseline;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench seed} (hidden): the seed design as a process of its own, which {@code bench
 * pipeline} starts and measures like cdc2esdb. Runs until SIGTERM.
 */
@Command(
    name = "seed",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = "The seed design: one consumer, one synchronous append per record.")
public final class SeedBenchCommand implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", required = true)
  String bootstrapServers;

  @Option(names = "--esdb", required = true, description = "EventStoreDB connection string.")
  String connectionString;

  @Option(names = "--topics", required = true, description = "Regular expression of topics.")
  String topics;

  @Option(names = "--group", defaultValue = "seed-baseline", description = "Consumer group.")
  String group;

  @Override
  public Integer call() throws Exception {
    SeedBaseline seed = new SeedBaseline(bootstrapServers, group, connectionString);
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  seed.close();
                  try {
                    main.join(10_000);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "seed-shutdown"));
    System.out.println("seed baseline consuming " + topics);
    System.out.flush();
    seed.run(Pattern.compile(topics));
    seed.shutdownClient();
    return 0;
  }
}
