package io.cdc2esdb.dev.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;

/**
 * The benchmark's database history, without any Kafka or JSON: a seeded sequence of transactions of
 * 1 to 10 row changes over a pool of row ids, about 20 % inserts, 70 % updates and 10 % deletes,
 * stopping after exactly {@link Spec#events()} changes. A row is inserted only while it does not
 * exist and updated or deleted only while it does; no transaction touches a row twice. The first
 * changes of a run can only be inserts (no row exists yet), and near the end of a long run an
 * insert may find no free id and become an update: the mix reached is reported by {@link Mix}.
 */
public final class Workload {

  /**
   * What to generate: {@code events} changes over the rows {@code firstId} to {@code firstId + rows
   * - 1}, in transactions numbered from {@code firstSequence}.
   */
  public record Spec(
      long events, int rows, int maxTransactionRows, long seed, int firstId, long firstSequence) {
    public Spec {
      if (events < 1 || rows < 1 || maxTransactionRows < 1) {
        throw new IllegalArgumentException("events, rows and transaction size must be positive");
      }
    }

    public Spec(long events, int rows, int maxTransactionRows, long seed) {
      this(events, rows, maxTransactionRows, seed, FIRST_ID, 1);
    }

    /** {@code events} changes over {@code events / 10} rows, transactions of 1 to 10 rows. */
    public static Spec of(long events) {
      return new Spec(events, (int) Math.max(1, events / 10), 10, 42);
    }

    /**
     * A history of the same shape to run before this one, {@code events} changes long, on rows and
     * transaction numbers of its own: its rows follow this one's, its transactions are numbered
     * from {@link #WARMUP_FIRST_SEQUENCE}. Nothing it writes touches a stream or a transaction of
     * this history.
     */
    public Spec warmup(long events) {
      return new Spec(
          events,
          (int) Math.max(1, events / 10),
          maxTransactionRows,
          seed + 1,
          firstId + rows,
          WARMUP_FIRST_SEQUENCE);
    }
  }

  /** Where a warm-up's transaction numbers start: above any measured history's. */
  public static final long WARMUP_FIRST_SEQUENCE = 1_000_000_000_001L;

  public enum Op {
    INSERT,
    UPDATE,
    DELETE
  }

  /**
   * One row change: {@code version} counts the row's changes so far, so that every update writes
   * different values.
   */
  public record Change(Op op, int id, int version) {}

  /**
   * One database transaction; {@code sequence} starts at the spec's {@code firstSequence} and is
   * the GTID's sequence number.
   */
  public record Transaction(long sequence, List<Change> changes) {}

  /** The operations generated so far. */
  public record Mix(long inserts, long updates, long deletes) {
    public long total() {
      return inserts + updates + deletes;
    }
  }

  /**
   * The first row id of a measured history; row {@code i} of the pool is id {@code firstId + i}.
   */
  public static final int FIRST_ID = 1001;

  private static final double INSERT_SHARE = 0.2;
  private static final double UPDATE_SHARE = 0.7;

  private final Spec spec;
  private final Random random;
  private final IdPool live;
  private final IdPool absent;
  private final int[] versions;
  private long generated;
  private long sequence;
  private long inserts;
  private long updates;
  private long deletes;

  public Workload(Spec spec) {
    this.spec = spec;
    this.random = new Random(spec.seed());
    this.live = new IdPool(spec.rows());
    this.absent = new IdPool(spec.rows());
    this.versions = new int[spec.rows()];
    this.sequence = spec.firstSequence() - 1;
    for (int i = 0; i < spec.rows(); i++) {
      absent.add(i);
    }
  }

  public Spec spec() {
    return spec;
  }

  public boolean hasNext() {
    return generated < spec.events();
  }

  public Transaction next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    int size =
        (int) Math.min(spec.events() - generated, 1 + random.nextInt(spec.maxTransactionRows()));
    List<Change> changes = new ArrayList<>(size);
    Set<Integer> touched = new HashSet<>();
    while (changes.size() < size) {
      Change change = change(touched);
      if (change == null) {
        break; // every row is in this transaction already: end it smaller
      }
      touched.add(change.id() - spec.firstId());
      changes.add(change);
    }
    generated += changes.size();
    return new Transaction(++sequence, List.copyOf(changes));
  }

  public Mix mix() {
    return new Mix(inserts, updates, deletes);
  }

  private Change change(Set<Integer> touched) {
    double r = random.nextDouble();
    Op wanted =
        r < INSERT_SHARE ? Op.INSERT : r < INSERT_SHARE + UPDATE_SHARE ? Op.UPDATE : Op.DELETE;
    // The wanted op first; when no row allows it, the others in a fixed order.
    List<Op> order =
        switch (wanted) {
          case INSERT -> List.of(Op.INSERT, Op.UPDATE, Op.DELETE);
          case UPDATE -> List.of(Op.UPDATE, Op.INSERT, Op.DELETE);
          case DELETE -> List.of(Op.DELETE, Op.UPDATE, Op.INSERT);
        };
    for (Op op : order) {
      IdPool pool = op == Op.INSERT ? absent : live;
      int index = pool.pick(random, touched);
      if (index < 0) {
        continue;
      }
      int version = ++versions[index];
      switch (op) {
        case INSERT -> {
          absent.remove(index);
          live.add(index);
          inserts++;
        }
        case UPDATE -> updates++;
        case DELETE -> {
          live.remove(index);
          absent.add(index);
          deletes++;
        }
      }
      return new Change(op, spec.firstId() + index, version);
    }
    return null;
  }

  /** A set of row indexes with O(1) add, remove and random pick. */
  private static final class IdPool {
    private final int[] members;
    private final int[] slot;
    private int size;

    IdPool(int capacity) {
      members = new int[capacity];
      slot = new int[capacity];
      Arrays.fill(slot, -1);
    }

    void add(int index) {
      slot[index] = size;
      members[size++] = index;
    }

    void remove(int index) {
      int at = slot[index];
      int last = members[--size];
      members[at] = last;
      slot[last] = at;
      slot[index] = -1;
    }

    /** A random member not in {@code exclude}, or -1 (a few tries, then a scan). */
    int pick(Random random, Set<Integer> exclude) {
      if (size == 0) {
        return -1;
      }
      for (int attempt = 0; attempt < 8; attempt++) {
        int candidate = members[random.nextInt(size)];
        if (!exclude.contains(candidate)) {
          return candidate;
        }
      }
      for (int i = 0; i < size; i++) {
        if (!exclude.contains(members[i])) {
          return members[i];
        }
      }
      return -1;
    }
  }
}
