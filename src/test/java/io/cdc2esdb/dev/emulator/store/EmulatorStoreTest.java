package io.cdc2esdb.dev.emulator.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage engine on its own: persistence, replay, and what does not survive a restart. */
class EmulatorStoreTest {

  @TempDir Path dir;

  private EmulatorStore open() {
    return EmulatorStore.open(
        EmulatorStore.Options.inMemory().withDataDir(dir).withProjections(false));
  }

  @Test
  void shouldKeepStreamsPositionsAndMetadataAcrossARestart() {
    long position;
    try (EmulatorStore store = open()) {
      store.append("a-1", ExpectedVersion.NO_STREAM, List.of(event("A"), event("B")));
      store.append(
          "$$a-1",
          ExpectedVersion.ANY,
          List.of(NewEvent.json(UUID.randomUUID(), "$metadata", "{\"$maxCount\":1}")));
      position = store.endPosition();
    }
    try (EmulatorStore store = open()) {
      assertThat(store.endPosition()).isEqualTo(position);
      StreamRead.Found read = (StreamRead.Found) store.readStream("a-1", 0, 10, true, false);
      assertThat(read.events()).extracting(e -> e.event().type()).containsExactly("B");
      assertThat(read.lastRevision()).isEqualTo(1);
      WriteResult next = store.append("a-1", 1, List.of(event("C")));
      assertThat(next).isInstanceOf(WriteResult.Success.class);
      assertThat(((WriteResult.Success) next).position()).isEqualTo(position);
    }
  }

  @Test
  void shouldKeepTombstonesAcrossARestart() {
    try (EmulatorStore store = open()) {
      store.append("a-1", ExpectedVersion.NO_STREAM, List.of(event("A")));
      store.tombstone("a-1", ExpectedVersion.ANY);
    }
    try (EmulatorStore store = open()) {
      assertThat(store.readStream("a-1", 0, 10, true, false))
          .isInstanceOf(StreamRead.Deleted.class);
      assertThat(store.append("a-1", ExpectedVersion.ANY, List.of(event("B"))))
          .isInstanceOf(WriteResult.StreamDeleted.class);
    }
  }

  @Test
  void shouldForgetIdsRememberedForAnyAcrossARestart() {
    NewEvent a = event("A");
    try (EmulatorStore store = open()) {
      store.append("a-1", ExpectedVersion.ANY, List.of(a));
      WriteResult again = store.append("a-1", ExpectedVersion.ANY, List.of(a));
      assertThat(((WriteResult.Success) again).lastRevision()).isZero();
    }
    try (EmulatorStore store = open()) {
      WriteResult afterRestart = store.append("a-1", ExpectedVersion.ANY, List.of(a));
      assertThat(((WriteResult.Success) afterRestart).lastRevision()).isEqualTo(1);
    }
  }

  @Test
  void shouldDropATornWriteAtTheEndOfTheLog() throws IOException {
    long intactEnd;
    try (EmulatorStore store = open()) {
      store.append("a-1", ExpectedVersion.NO_STREAM, List.of(event("A")));
      intactEnd = store.endPosition();
      store.append("a-1", 0, List.of(event("B")));
    }
    Path log = dir.resolve(LogFile.FILE_NAME);
    try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
      channel.truncate(Files.size(log) - 3);
    }
    try (EmulatorStore store = open()) {
      assertThat(store.endPosition()).isEqualTo(intactEnd);
      assertThat(store.lastRevision("a-1")).isZero();
      assertThat(store.append("a-1", 0, List.of(event("C"))))
          .isInstanceOf(WriteResult.Success.class);
    }
    try (EmulatorStore store = open()) {
      StreamRead.Found read = (StreamRead.Found) store.readStream("a-1", 0, 10, true, false);
      assertThat(read.events()).extracting(e -> e.event().type()).containsExactly("A", "C");
    }
  }

  @Test
  void shouldDropARecordWhoseChecksumDoesNotMatch() throws IOException {
    try (EmulatorStore store = open()) {
      store.append("a-1", ExpectedVersion.NO_STREAM, List.of(event("A")));
      store.append("a-1", 0, List.of(event("B")));
    }
    Path log = dir.resolve(LogFile.FILE_NAME);
    byte[] bytes = Files.readAllBytes(log);
    bytes[bytes.length - 10] ^= 0x7f;
    Files.write(log, bytes);
    try (EmulatorStore store = open()) {
      assertThat(store.lastRevision("a-1")).isZero();
    }
  }

  @Test
  void shouldRefuseADataDirectoryAnotherStoreIsUsing() {
    try (EmulatorStore store = open()) {
      assertThatThrownBy(this::open)
          .isInstanceOf(java.io.UncheckedIOException.class)
          .hasMessageContaining("cannot open the emulator log");
    }
    open().close();
  }

  @Test
  void shouldWriteCategoryLinksRightAfterTheEvents() {
    try (EmulatorStore store = EmulatorStore.open(EmulatorStore.Options.inMemory())) {
      store.append("orders-1", ExpectedVersion.NO_STREAM, List.of(event("A")));
      StreamRead.Found links = (StreamRead.Found) store.readStream("$ce-orders", 0, 10, true, true);
      assertThat(links.events()).hasSize(1);
      assertThat(links.events().get(0).event().stream()).isEqualTo("orders-1");
      assertThat(links.events().get(0).link().type()).isEqualTo("$>");
    }
  }

  @Test
  void shouldNotRunProjectionsWhenTurnedOff() {
    try (EmulatorStore store =
        EmulatorStore.open(EmulatorStore.Options.inMemory().withProjections(false))) {
      store.append("orders-1", ExpectedVersion.NO_STREAM, List.of(event("A")));
      assertThat(store.readStream("$ce-orders", 0, 10, true, true))
          .isInstanceOf(StreamRead.NotFound.class);
    }
  }

  @Test
  void shouldForgetTheOldestIdsOnceTheCacheIsFull() {
    IdCache cache = new IdCache(1000);
    UUID first = UUID.randomUUID();
    cache.put(first, "s", 0);
    for (int i = 1; i < 100; i++) {
      cache.put(UUID.randomUUID(), "s", i);
    }
    assertThat(cache.get(first)).isNull();
    assertThat(cache.size()).isLessThan(100).isPositive();
  }

  private static NewEvent event(String type) {
    return NewEvent.json(UUID.randomUUID(), type, "{}");
  }

  @Test
  void shouldWriteAMultiStreamAppendAtomicallyAndKeepItAcrossARestartWithGroupCommit()
      throws Exception {
    List<Thread> writers = new java.util.ArrayList<>();
    List<MultiWriteResult> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (EmulatorStore store =
        EmulatorStore.open(
            EmulatorStore.Options.inMemory()
                .withDataDir(dir)
                .withFsync(true)
                .withProjections(false))) {
      for (int t = 0; t < 4; t++) {
        int lane = t;
        Thread writer =
            new Thread(
                () -> {
                  for (int i = 0; i < 25; i++) {
                    MultiWriteResult result =
                        store.appendAll(
                            List.of(
                                new StreamWrite(
                                    "a-" + lane, 2L * i - 1, List.of(event("A"), event("A"))),
                                new StreamWrite("b-" + lane, i - 1L, List.of(event("B")))));
                    if (!(result instanceof MultiWriteResult.Written)) {
                      failures.add(result);
                    }
                  }
                });
        writers.add(writer);
        writer.start();
      }
      for (Thread writer : writers) {
        writer.join();
      }
    }
    assertThat(failures).isEmpty();
    try (EmulatorStore store = open()) {
      for (int lane = 0; lane < 4; lane++) {
        assertThat(store.lastRevision("a-" + lane)).isEqualTo(49);
        assertThat(store.lastRevision("b-" + lane)).isEqualTo(24);
      }
    }
  }

  @Test
  void shouldCombineTheStreamsChecksAsTheServerDoes() {
    try (EmulatorStore store = open()) {
      NewEvent a = event("A");
      store.append("a-1", ExpectedVersion.NO_STREAM, List.of(a));
      store.append("t-1", ExpectedVersion.NO_STREAM, List.of(event("T")));
      store.tombstone("t-1", ExpectedVersion.ANY);

      // a conflict before a tombstoned stream: the tombstone is what is reported
      assertThat(
              store.appendAll(
                  List.of(
                      new StreamWrite("a-1", 7, List.of(event("X"))),
                      new StreamWrite("t-1", ExpectedVersion.ANY, List.of(event("X"))))))
          .isEqualTo(new MultiWriteResult.Deleted(1));
      // one stream whose events only partly match: a plain conflict
      assertThat(
              store.appendAll(
                  List.of(
                      new StreamWrite(
                          "a-1", ExpectedVersion.NO_STREAM, List.of(a, event("other"))))))
          .isEqualTo(new MultiWriteResult.Conflict(0, 0));
      // replayed + writable: neither
      assertThat(
              store.appendAll(
                  List.of(
                      new StreamWrite("n-1", ExpectedVersion.NO_STREAM, List.of(event("N"))),
                      new StreamWrite("a-1", ExpectedVersion.NO_STREAM, List.of(a)))))
          .isEqualTo(new MultiWriteResult.PartialReplay(1, 0));
      assertThat(store.lastRevision("n-1")).isEqualTo(-1);
      // writable + conflicting: the first conflict
      assertThat(
              store.appendAll(
                  List.of(
                      new StreamWrite("n-1", ExpectedVersion.NO_STREAM, List.of(event("N"))),
                      new StreamWrite("a-1", 3, List.of(event("X"))),
                      new StreamWrite("m-1", 5, List.of(event("X"))))))
          .isEqualTo(new MultiWriteResult.Conflict(1, 0));
    }
  }
}
