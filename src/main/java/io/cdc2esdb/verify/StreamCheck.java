package io.cdc2esdb.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Compares what one stream should hold with what it holds, by event id: events expected but absent
 * are missing; an id present more than once is duplicated (each extra copy counts); present ids not
 * expected are unexpected (foreign writes); and out of order counts the fewest present events that
 * must move for the rest to follow the expected order (present minus the longest run that is in
 * order, found as a longest increasing subsequence of expected positions).
 */
final class StreamCheck {

  /** Up to this many examples of each kind are kept per stream. */
  static final int EXAMPLES = 3;

  /** An event the input implies, in expected order. */
  record Expected(UUID id, String source) {}

  /**
   * An event EventStoreDB holds, in revision order.
   *
   * @param beforeWindow true when it comes from input older than what {@code verify} read (from
   *     {@code --from}): not expected, and not unexpected either
   */
  record Present(long revision, UUID id, String type, boolean beforeWindow) {}

  /** The verdict on one stream, with a few examples of each kind of difference. */
  record Result(
      String stream,
      int expected,
      int present,
      int missing,
      int duplicated,
      int outOfOrder,
      int unexpected,
      long lastRevision,
      List<String> examples) {

    boolean matches() {
      return missing == 0 && duplicated == 0 && outOfOrder == 0 && unexpected == 0;
    }
  }

  private StreamCheck() {}

  static Result compare(String stream, List<Expected> expected, List<Present> present) {
    Map<UUID, Integer> index = new HashMap<>(expected.size() * 2);
    for (int i = 0; i < expected.size(); i++) {
      index.putIfAbsent(expected.get(i).id(), i);
    }
    Set<UUID> seen = new HashSet<>();
    int[] order = new int[present.size()];
    long[] orderRevision = new long[present.size()];
    int inOrderCandidates = 0;
    int duplicated = 0;
    int unexpected = 0;
    int counted = 0;
    List<String> dupExamples = new ArrayList<>();
    List<String> unexpectedExamples = new ArrayList<>();
    for (Present p : present) {
      if (p.beforeWindow() && !index.containsKey(p.id())) {
        continue;
      }
      counted++;
      Integer at = index.get(p.id());
      if (at == null) {
        unexpected++;
        example(
            unexpectedExamples,
            "unexpected event " + p.id() + " (" + p.type() + ") at revision " + p.revision());
      } else if (!seen.add(p.id())) {
        duplicated++;
        example(dupExamples, "duplicated event " + p.id() + " again at revision " + p.revision());
      } else {
        orderRevision[inOrderCandidates] = p.revision();
        order[inOrderCandidates++] = at;
      }
    }
    List<String> examples = new ArrayList<>();
    int missing = 0;
    for (Expected e : expected) {
      if (!seen.contains(e.id())) {
        missing++;
        example(examples, "missing event " + e.id() + " (binlog " + e.source() + ")");
      }
    }
    int[] sequence = Arrays.copyOf(order, inOrderCandidates);
    boolean[] inOrder = longestIncreasing(sequence);
    int outOfOrder = 0;
    for (int i = 0; i < sequence.length; i++) {
      if (!inOrder[i]) {
        outOfOrder++;
        example(
            examples,
            "out of order: revision "
                + orderRevision[i]
                + " holds expected event #"
                + (sequence[i] + 1)
                + " of "
                + expected.size());
      }
    }
    examples.addAll(dupExamples);
    examples.addAll(unexpectedExamples);
    long lastRevision = present.isEmpty() ? -1 : present.get(present.size() - 1).revision();
    return new Result(
        stream,
        expected.size(),
        counted,
        missing,
        duplicated,
        outOfOrder,
        unexpected,
        lastRevision,
        examples);
  }

  private static void example(List<String> examples, String text) {
    if (examples.size() < EXAMPLES) {
      examples.add(text);
    }
  }

  /** Marks one longest strictly increasing subsequence of {@code values} (patience sorting). */
  static boolean[] longestIncreasing(int[] values) {
    int n = values.length;
    int[] tails = new int[n]; // index into values of the smallest tail of each length
    int[] previous = new int[n];
    int length = 0;
    for (int i = 0; i < n; i++) {
      int lo = 0;
      int hi = length;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (values[tails[mid]] < values[i]) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      previous[i] = lo > 0 ? tails[lo - 1] : -1;
      tails[lo] = i;
      if (lo == length) {
        length++;
      }
    }
    boolean[] marked = new boolean[n];
    for (int i = length == 0 ? -1 : tails[length - 1]; i >= 0; i = previous[i]) {
      marked[i] = true;
    }
    return marked;
  }
}
