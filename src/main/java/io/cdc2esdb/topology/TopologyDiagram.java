package io.cdc2esdb.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyDescription.GlobalStore;
import org.apache.kafka.streams.TopologyDescription.Node;
import org.apache.kafka.streams.TopologyDescription.Processor;
import org.apache.kafka.streams.TopologyDescription.Sink;
import org.apache.kafka.streams.TopologyDescription.Source;
import org.apache.kafka.streams.TopologyDescription.Subtopology;

/**
 * Renders a {@link TopologyDescription} as a Mermaid flowchart: one subgraph per sub-topology,
 * topics as stadium shapes, stores as cylinders. Generated from the description, never by hand, so
 * the diagram cannot drift from the code.
 */
public final class TopologyDiagram {

  private TopologyDiagram() {}

  public static String mermaid(TopologyDescription description) {
    List<String> lines = new ArrayList<>();
    lines.add("flowchart LR");
    Set<String> topics = new TreeSet<>();
    Set<String> stores = new TreeSet<>();
    List<String> edges = new ArrayList<>();
    for (GlobalStore global : description.globalStores()) {
      // One subgraph per global store, each with its own id (Mermaid merges equal ids).
      lines.add("  subgraph global" + global.id() + "[\"Global store\"]");
      lines.add("    " + node(global.source()));
      lines.add("    " + node(global.processor()));
      lines.add("  end");
      describe(global.source(), topics, stores, edges);
      describe(global.processor(), topics, stores, edges);
      edges.add(id(global.source()) + " --> " + id(global.processor()));
    }
    List<Subtopology> subtopologies = new ArrayList<>(description.subtopologies());
    subtopologies.sort(Comparator.comparingInt(Subtopology::id));
    for (Subtopology sub : subtopologies) {
      lines.add("  subgraph sub" + sub.id() + "[\"Sub-topology " + sub.id() + "\"]");
      List<Node> nodes = new ArrayList<>(sub.nodes());
      nodes.sort(Comparator.comparing(Node::name));
      for (Node node : nodes) {
        lines.add("    " + node(node));
        describe(node, topics, stores, edges);
        for (Node successor : sorted(node.successors())) {
          edges.add(id(node) + " --> " + id(successor));
        }
      }
      lines.add("  end");
    }
    for (String topic : topics) {
      lines.add("  " + topicId(topic) + "([\"" + topic + "\"])");
    }
    for (String store : stores) {
      lines.add("  " + storeId(store) + "[(\"" + store + "\")]");
    }
    edges.stream().sorted().forEach(e -> lines.add("  " + e));
    return String.join("\n", lines) + "\n";
  }

  private static void describe(
      Node node, Set<String> topics, Set<String> stores, List<String> edges) {
    if (node instanceof Source source) {
      String topic =
          source.topicPattern() != null
              ? source.topicPattern().pattern()
              : String.join(",", new TreeSet<>(source.topicSet()));
      topics.add(topic);
      edges.add(topicId(topic) + " --> " + id(node));
    } else if (node instanceof Sink sink) {
      topics.add(sink.topic());
      edges.add(id(node) + " --> " + topicId(sink.topic()));
    } else if (node instanceof Processor processor) {
      for (String store : new TreeSet<>(processor.stores())) {
        stores.add(store);
        edges.add(id(node) + " -.- " + storeId(store));
      }
    }
  }

  private static List<Node> sorted(Set<Node> nodes) {
    List<Node> list = new ArrayList<>(nodes);
    list.sort(Comparator.comparing(Node::name));
    return list;
  }

  private static String node(Node node) {
    return id(node) + "[\"" + node.name() + "\"]";
  }

  private static String id(Node node) {
    return "n_" + sanitize(node.name());
  }

  private static String topicId(String topic) {
    return "t_" + sanitize(topic);
  }

  private static String storeId(String store) {
    return "s_" + sanitize(store);
  }

  private static String sanitize(String name) {
    return name.replaceAll("[^A-Za-z0-9_]", "_");
  }
}
