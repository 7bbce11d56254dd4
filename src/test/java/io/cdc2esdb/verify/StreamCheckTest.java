package io.cdc2esdb.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StreamCheckTest {

  private final List<StreamCheck.Expected> expected = new ArrayList<>();

  StreamCheckTest() {
    for (int i = 0; i < 5; i++) {
      expected.add(new StreamCheck.Expected(new UUID(0, i), "mariadb-bin.000001:" + i + ":0"));
    }
  }

  private List<StreamCheck.Present> present(int... order) {
    List<StreamCheck.Present> present = new ArrayList<>();
    for (int i = 0; i < order.length; i++) {
      present.add(new StreamCheck.Present(i, new UUID(0, order[i]), "Update", false));
    }
    return present;
  }

  @Test
  void shouldMatchTheSameEventsInTheSameOrder() {
    StreamCheck.Result result = StreamCheck.compare("s", expected, present(0, 1, 2, 3, 4));

    assertThat(result.matches()).isTrue();
    assertThat(result.present()).isEqualTo(5);
    assertThat(result.lastRevision()).isEqualTo(4);
    assertThat(result.examples()).isEmpty();
  }

  @Test
  void shouldCountMissingEventsAndNameThem() {
    StreamCheck.Result result = StreamCheck.compare("s", expected, present(0, 2, 4));

    assertThat(result.missing()).isEqualTo(2);
    assertThat(result.outOfOrder()).isZero();
    assertThat(result.examples())
        .containsExactly(
            "missing event " + new UUID(0, 1) + " (binlog mariadb-bin.000001:1:0)",
            "missing event " + new UUID(0, 3) + " (binlog mariadb-bin.000001:3:0)");
  }

  @Test
  void shouldCountEachExtraCopyAsDuplicated() {
    StreamCheck.Result result = StreamCheck.compare("s", expected, present(0, 1, 1, 2, 3, 4, 1));

    assertThat(result.duplicated()).isEqualTo(2);
    assertThat(result.missing()).isZero();
    assertThat(result.outOfOrder()).isZero();
  }

  @Test
  void shouldCountTheFewestEventsThatMustMoveAsOutOfOrder() {
    // 4 moved to the front: one event out of place, not four
    assertThat(StreamCheck.compare("s", expected, present(4, 0, 1, 2, 3)).outOfOrder()).isOne();
    // reversed: only one of them can stay
    assertThat(StreamCheck.compare("s", expected, present(4, 3, 2, 1, 0)).outOfOrder())
        .isEqualTo(4);
    // two swaps
    assertThat(StreamCheck.compare("s", expected, present(1, 0, 2, 4, 3)).outOfOrder())
        .isEqualTo(2);
  }

  @Test
  void shouldCountEventsNotFromTheInputAsUnexpected() {
    List<StreamCheck.Present> present = present(0, 1, 2, 3, 4);
    present.add(new StreamCheck.Present(5, new UUID(1, 1), "Foreign", false));

    StreamCheck.Result result = StreamCheck.compare("s", expected, present);

    assertThat(result.unexpected()).isOne();
    assertThat(result.examples())
        .containsExactly("unexpected event " + new UUID(1, 1) + " (Foreign) at revision 5");
  }

  @Test
  void shouldIgnoreEventsFromBeforeTheWindowThatAreNotExpected() {
    List<StreamCheck.Present> present = new ArrayList<>();
    present.add(new StreamCheck.Present(0, new UUID(2, 2), "Insert", true));
    present.addAll(
        present(0, 1, 2, 3, 4).stream()
            .map(p -> new StreamCheck.Present(p.revision() + 1, p.id(), p.type(), false))
            .toList());

    StreamCheck.Result result = StreamCheck.compare("s", expected, present);

    assertThat(result.matches()).isTrue();
    assertThat(result.present()).isEqualTo(5);
    assertThat(result.lastRevision()).isEqualTo(5);
  }

  @Test
  void shouldFindEverythingMissingInAnEmptyStream() {
    StreamCheck.Result result = StreamCheck.compare("s", expected, List.of());

    assertThat(result.missing()).isEqualTo(5);
    assertThat(result.lastRevision()).isEqualTo(-1);
    assertThat(result.examples()).hasSize(StreamCheck.EXAMPLES);
  }
}
