package io.cdc2esdb.dev.app;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The roles of a capture's topics, inferred from their names alone: Debezium writes a table's rows
 * to {@code <prefix>.<db>.<table>}, transactions to {@code <prefix>.transaction} and schema changes
 * to {@code <prefix>}. The prefix is that of the transaction topic if there is one, else that of
 * the first table topic, else the shortest name. Data topics are every other topic with three or
 * more dot-separated parts.
 *
 * @param prefix Debezium's {@code topic.prefix}
 * @param dataTopics the table topics, sorted
 */
public record CaptureTopics(String prefix, List<String> dataTopics) {

  private static final String TRANSACTION_SUFFIX = ".transaction";

  /**
   * @throws IllegalArgumentException when there are no topics, or transaction topics of several
   *     prefixes (cdc2esdb reads one)
   */
  public static CaptureTopics of(Collection<String> topics) {
    TreeSet<String> sorted = new TreeSet<>(topics);
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("the capture holds no records");
    }
    String prefix = prefix(sorted);
    List<String> transactionTopics =
        sorted.stream()
            .filter(t -> t.endsWith(TRANSACTION_SUFFIX) && !isData(t, prefix))
            .filter(t -> !t.equals(prefix + TRANSACTION_SUFFIX))
            .toList();
    if (!transactionTopics.isEmpty()) {
      throw new IllegalArgumentException(
          "the capture mixes Debezium topic prefixes: "
              + prefix
              + TRANSACTION_SUFFIX
              + " and "
              + String.join(", ", transactionTopics)
              + "; replay one prefix at a time");
    }
    return new CaptureTopics(prefix, sorted.stream().filter(t -> isData(t, prefix)).toList());
  }

  /** cdc2esdb's settings that make it read exactly these topics. */
  public Map<String, String> settings() {
    String pattern =
        dataTopics.isEmpty()
            ? "(?!)" // matches nothing: there is nothing to write, and the run still works
            : dataTopics.stream().map(Pattern::quote).collect(Collectors.joining("|"));
    return Map.of("topic.prefix", prefix, "data.topics.pattern", pattern);
  }

  public String transactionTopic() {
    return prefix + TRANSACTION_SUFFIX;
  }

  private static String prefix(TreeSet<String> topics) {
    for (String topic : byLength(topics)) {
      if (topic.endsWith(TRANSACTION_SUFFIX) && topic.length() > TRANSACTION_SUFFIX.length()) {
        return topic.substring(0, topic.length() - TRANSACTION_SUFFIX.length());
      }
    }
    for (String topic : topics) {
      if (parts(topic) >= 3) {
        return topic.substring(0, topic.lastIndexOf('.', topic.lastIndexOf('.') - 1));
      }
    }
    return byLength(topics).get(0);
  }

  // A table may be called "transaction": <prefix>.<db>.transaction is data.
  private static boolean isData(String topic, String prefix) {
    return parts(topic) >= 3
        && !topic.equals(prefix + TRANSACTION_SUFFIX)
        && (!topic.endsWith(TRANSACTION_SUFFIX) || topic.startsWith(prefix + "."));
  }

  private static List<String> byLength(TreeSet<String> topics) {
    return topics.stream()
        .sorted((a, b) -> a.length() != b.length() ? a.length() - b.length() : a.compareTo(b))
        .toList();
  }

  private static int parts(String topic) {
    return topic.split("\\.", -1).length;
  }
}
