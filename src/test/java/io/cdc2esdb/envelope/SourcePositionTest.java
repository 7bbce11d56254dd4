package io.cdc2esdb.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourcePositionTest {

  @Test
  void shouldOrderByFileThenPositionThenRow() {
    assertThat(at("bin.000002", 4, 0, "false").isAfter(at("bin.000001", 900, 3, "false"))).isTrue();
    assertThat(at("bin.000001", 901, 0, "false").isAfter(at("bin.000001", 900, 3, "false")))
        .isTrue();
    assertThat(at("bin.000001", 900, 1, "false").isAfter(at("bin.000001", 900, 0, "false")))
        .isTrue();
    assertThat(at("bin.000001", 900, 0, "false").isAfter(at("bin.000001", 900, 0, "false")))
        .isFalse();
  }

  @Test
  void shouldPlaceASnapshotRowBeforeStreamingAtTheSamePosition() {
    SourcePosition snapshot = at("bin.000001", 900, 0, "last");
    SourcePosition streaming = at("bin.000001", 900, 0, "false");
    assertThat(streaming.isAfter(snapshot)).isTrue();
    assertThat(snapshot.isAfter(streaming)).isFalse();
  }

  @Test
  void shouldOrderRowsThatShareAPositionByTheirOrdinal() {
    SourcePosition first = at("bin.000001", 900, 0, "true").withOrdinal(7);
    SourcePosition second = at("bin.000001", 900, 0, "true").withOrdinal(8);
    assertThat(second.isAfter(first)).isTrue();
    assertThat(first.isAfter(second)).isFalse();
    assertThat(first.withOrdinal(7).isAfter(first)).isFalse();
    assertThat(at("bin.000001", 900, 0, "false").isAfter(second)).isTrue();
    assertThat(at("bin.000001", 899, 5, "false").isAfter(second)).isFalse();
  }

  private static SourcePosition at(String file, long pos, int row, String snapshot) {
    return new SourcePosition(
        "mariadb", "s", "d", "t", file, pos, row, null, 0, snapshot, SourcePosition.NO_ORDINAL);
  }
}
