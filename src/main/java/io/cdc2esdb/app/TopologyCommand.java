package io.cdc2esdb.app;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.sink.InMemoryEventStore;
import io.cdc2esdb.topology.CdcTopology;
import io.cdc2esdb.topology.TopologyDiagram;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.TopologyDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the topology as Kafka Streams describes it, or as a Mermaid diagram. */
@Command(
    name = "topology",
    mixinStandardHelpOptions = true,
    description = "Print the Kafka Streams topology (describe()), or --mermaid for a diagram.")
public final class TopologyCommand implements Callable<Integer> {

  @Option(names = "--config", description = "Properties file (topic names change the topology).")
  Path config;

  @Option(names = "--mermaid", description = "Print a Mermaid flowchart instead.")
  boolean mermaid;

  @Override
  public Integer call() {
    System.out.print(render(cdcConfig(config), mermaid));
    return 0;
  }

  /** The text this command prints; the golden files in topology-docs are exactly this. */
  public static String render(CdcConfig config, boolean mermaid) {
    try (InMemoryEventStore unused = new InMemoryEventStore()) {
      TopologyDescription description = CdcTopology.build(config, unused).describe();
      return mermaid ? TopologyDiagram.mermaid(description) : description.toString();
    }
  }

  static CdcConfig cdcConfig(Path file) {
    if (file == null) {
      return new CdcConfig(Map.of());
    }
    return Settings.load(file, Map.of()).cdc();
  }
}
