package io.cdc2esdb.dev.app;

import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.ReadEvent;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The demo's closing text: which streams were written, a few of them event by event, a table's
 * category stream and one transaction's correlation stream read back through EventStoreDB's
 * projections, the dead letters and the counts.
 */
final class SummaryReport {

  private static final int MAX_STREAM_LINES = 12;
  private static final int MAX_LINK_LINES = 10;
  private static final int MAX_DATA_CHARS = 90;

  private SummaryReport() {}

  static void print(PrintWriter out, DemoSummary summary, EsdbReader reader) {
    Map<String, List<DemoSummary.Event>> streams = summary.streams();
    Map<String, Integer> categories = new TreeMap<>();
    streams.forEach((s, events) -> categories.merge(category(s), events.size(), Integer::sum));
    out.printf(
        "%nStreams written: %d (%s)%n",
        streams.size(),
        categories.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue() + " events")
            .collect(Collectors.joining(", ")));
    streams.entrySet().stream()
        .limit(MAX_STREAM_LINES)
        .forEach(
            e ->
                out.printf(
                    "  %-24s %s%n",
                    e.getKey(),
                    e.getValue().stream()
                        .map(DemoSummary.Event::type)
                        .collect(Collectors.joining(", "))));
    if (streams.size() > MAX_STREAM_LINES) {
      out.printf("  ... and %d more%n", streams.size() - MAX_STREAM_LINES);
    }
    for (String stream : showcase(streams)) {
      out.printf("%nEvents of %s:%n", stream);
      for (DemoSummary.Event e : streams.get(stream)) {
        out.printf(
            "  %d %-8s %s  $correlationId=%s%n",
            e.revision(),
            e.type(),
            shorten(Json.text(e.data())),
            e.metadata().path("$correlationId").asText("-"));
      }
    }
    if (!categories.isEmpty()) {
      String category = categories.containsKey("customers") ? "customers" : first(categories);
      printLinks(out, reader, "$ce-" + category, "every " + category + " event, by category");
    }
    String transaction = largestTransaction(streams);
    if (transaction != null) {
      printLinks(out, reader, "$bc-" + transaction, "one database transaction, by correlation id");
    }
    DemoSummary.Counts c = summary.counts();
    out.printf("%nDead letters: %d%n", c.deadLettered());
    summary
        .deadLetters()
        .forEach(
            d -> out.printf("  %s-%d@%d: %s%n", d.topic(), d.partition(), d.offset(), d.error()));
    out.printf(
        "Read %d change records; wrote %d events; dead-lettered %d; dropped %d tombstones.%n",
        c.read(), c.written(), c.deadLettered(), c.tombstones());
  }

  private static void printLinks(PrintWriter out, EsdbReader reader, String stream, String what) {
    List<ReadEvent> events = reader.read(stream);
    out.printf("%n%s (%s): %d events%n", stream, what, events.size());
    events.stream()
        .limit(MAX_LINK_LINES)
        .forEach(e -> out.printf("  %s@%d %s%n", e.stream(), e.revision(), e.type()));
    if (events.size() > MAX_LINK_LINES) {
      out.printf("  ... and %d more%n", events.size() - MAX_LINK_LINES);
    }
  }

  /**
   * Up to three streams that tell different stories: the longest, then one that ends in a delete,
   * then one of another table, each with a sequence of event types not shown yet.
   */
  private static Set<String> showcase(Map<String, List<DemoSummary.Event>> streams) {
    List<String> byLength = new ArrayList<>(streams.keySet());
    byLength.sort(Comparator.comparing((String s) -> -streams.get(s).size()));
    Set<String> chosen = new LinkedHashSet<>();
    Set<List<String>> shapes = new HashSet<>();
    List<Predicate<String>> wishes =
        List.of(
            s -> true,
            s -> "Delete".equals(types(streams.get(s)).get(streams.get(s).size() - 1)),
            s -> chosen.stream().noneMatch(c -> category(c).equals(category(s))),
            s -> true);
    for (Predicate<String> wish : wishes) {
      byLength.stream()
          .filter(s -> chosen.size() < 3 && wish.test(s) && !shapes.contains(types(streams.get(s))))
          .findFirst()
          .ifPresent(
              s -> {
                chosen.add(s);
                shapes.add(types(streams.get(s)));
              });
    }
    return chosen;
  }

  private static List<String> types(List<DemoSummary.Event> events) {
    return events.stream().map(DemoSummary.Event::type).toList();
  }

  /** The correlation id of the database transaction with the most events, or null. */
  private static String largestTransaction(Map<String, List<DemoSummary.Event>> streams) {
    Map<String, Integer> sizes = new TreeMap<>();
    streams.values().stream()
        .flatMap(List::stream)
        .map(DemoSummary.Event::metadata)
        .filter(m -> m.path("transaction").isObject())
        .forEach(m -> sizes.merge(m.path("$correlationId").asText(), 1, Integer::sum));
    return sizes.entrySet().stream()
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey)
        .orElse(null);
  }

  private static String category(String stream) {
    int dash = stream.indexOf('-');
    return dash > 0 ? stream.substring(0, dash) : stream;
  }

  private static String first(Map<String, Integer> categories) {
    return categories.keySet().iterator().next();
  }

  private static String shorten(String text) {
    return text.length() <= MAX_DATA_CHARS ? text : text.substring(0, MAX_DATA_CHARS - 3) + "...";
  }
}
