package io.cdc2esdb.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {

  @Test
  void shouldGenerateExactlyTheEventsAskedForInTransactionsOfOneToTenDistinctRows() {
    Workload workload = new Workload(Workload.Spec.of(20_000));
    long events = 0;
    long transactions = 0;
    while (workload.hasNext()) {
      Workload.Transaction txn = workload.next();
      transactions++;
      assertThat(txn.sequence()).isEqualTo(transactions);
      assertThat(txn.changes()).hasSizeBetween(1, 10);
      assertThat(txn.changes().stream().map(Workload.Change::id).distinct())
          .hasSameSizeAs(txn.changes());
      events += txn.changes().size();
    }
    assertThat(events).isEqualTo(20_000);
    assertThat(workload.mix().total()).isEqualTo(20_000);
    // 1 to 10 rows, uniformly: about 5.5 a transaction.
    assertThat(20_000.0 / transactions).isCloseTo(5.5, within(0.3));
  }

  @Test
  void shouldMixAboutTwentyPercentInsertsSeventyUpdatesAndTenDeletes() {
    Workload workload = drain(new Workload(Workload.Spec.of(200_000)));
    Workload.Mix mix = workload.mix();
    assertThat(mix.inserts() / 200_000.0).isCloseTo(0.20, within(0.02));
    assertThat(mix.updates() / 200_000.0).isCloseTo(0.70, within(0.02));
    assertThat(mix.deletes() / 200_000.0).isCloseTo(0.10, within(0.02));
  }

  @Test
  void shouldInsertOnlyAbsentRowsAndUpdateOrDeleteOnlyExistingOnesOverATenthAsManyRows() {
    Workload workload = new Workload(Workload.Spec.of(20_000));
    Set<Integer> existing = new HashSet<>();
    Set<Integer> touched = new HashSet<>();
    int[] versions = new int[2_000];
    while (workload.hasNext()) {
      for (Workload.Change change : workload.next().changes()) {
        int row = change.id() - Workload.FIRST_ID;
        assertThat(row).isBetween(0, 1_999);
        assertThat(change.version()).isEqualTo(++versions[row]);
        switch (change.op()) {
          case INSERT -> assertThat(existing.add(change.id())).as("insert of a new row").isTrue();
          case UPDATE -> assertThat(existing).contains(change.id());
          case DELETE -> assertThat(existing.remove(change.id())).as("delete of a row").isTrue();
        }
        touched.add(change.id());
      }
    }
    assertThat(touched).hasSizeGreaterThan(1_900);
  }

  @Test
  void shouldRepeatTheSameHistoryForTheSameSeed() {
    assertThat(history(new Workload(Workload.Spec.of(5_000))))
        .isEqualTo(history(new Workload(Workload.Spec.of(5_000))));
    assertThat(history(new Workload(new Workload.Spec(5_000, 500, 10, 7))))
        .isNotEqualTo(history(new Workload(Workload.Spec.of(5_000))));
  }

  @Test
  void shouldKeepAWarmupsRowsAndTransactionsApartFromTheMeasuredHistorys() {
    Workload.Spec measured = Workload.Spec.of(20_000);
    Workload.Spec warmup = measured.warmup(5_000);
    List<Workload.Transaction> before = history(new Workload(warmup));
    List<Workload.Transaction> after = history(new Workload(measured));

    assertThat(before.stream().mapToLong(t -> t.changes().size()).sum()).isEqualTo(5_000);
    assertThat(rows(before)).allMatch(id -> id >= Workload.FIRST_ID + 2_000 && id < 3_001 + 500);
    assertThat(rows(after)).allMatch(id -> id >= Workload.FIRST_ID && id < 3_001);
    assertThat(before.get(0).sequence()).isEqualTo(Workload.WARMUP_FIRST_SEQUENCE);
    assertThat(after.get(0).sequence()).isEqualTo(1);
    assertThat(after.get(after.size() - 1).sequence()).isLessThan(Workload.WARMUP_FIRST_SEQUENCE);
  }

  private static Set<Integer> rows(List<Workload.Transaction> history) {
    Set<Integer> ids = new HashSet<>();
    history.forEach(t -> t.changes().forEach(c -> ids.add(c.id())));
    return ids;
  }

  private static List<Workload.Transaction> history(Workload workload) {
    List<Workload.Transaction> all = new ArrayList<>();
    while (workload.hasNext()) {
      all.add(workload.next());
    }
    return all;
  }

  private static Workload drain(Workload workload) {
    while (workload.hasNext()) {
      workload.next();
    }
    return workload;
  }
}
