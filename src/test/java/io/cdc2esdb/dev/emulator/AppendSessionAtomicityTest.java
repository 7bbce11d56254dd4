package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.V2Fixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.Subscription;
import io.kurrent.dbclient.EventData;
import io.kurrent.dbclient.StreamState;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A live {@code $all} subscriber (db-client-java, v1) never sees part of a session: while sessions
 * of three streams each are appended concurrently through kurrentdb-client, every session's events
 * reach the subscriber together, one after another, in request order.
 */
class AppendSessionAtomicityTest {

  private static final int WRITERS = 4;
  private static final int SESSIONS_PER_WRITER = 25;
  private static final int EVENTS_PER_SESSION = 6;

  private static V2Fixture fx;

  @BeforeAll
  static void start() {
    fx = new V2Fixture(EmulatorOptions.ephemeral().withProjections(false));
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void shouldDeliverEverySessionWholeAndContiguousToAnAllSubscriber() throws Exception {
    String run = "atom" + Long.toHexString(System.nanoTime());
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.v1
            .client
            .subscribeToAll(listener, SubscribeToAllOptions.get().fromEnd())
            .get(10, TimeUnit.SECONDS);
    try {
      listener.awaitSignal("confirmed");
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        int writer = w;
        writers.add(CompletableFuture.runAsync(() -> write(run, writer)));
      }
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

      int expected = WRITERS * SESSIONS_PER_WRITER * EVENTS_PER_SESSION;
      List<String> seen = new ArrayList<>();
      while (seen.size() < expected) {
        ResolvedEvent event = listener.events.poll(10, TimeUnit.SECONDS);
        assertThat(event).as("events received so far: %d of %d", seen.size(), expected).isNotNull();
        if (event.getOriginalEvent().getStreamId().startsWith(run)) {
          seen.add(event.getOriginalEvent().getEventType());
        }
      }
      // each session's events: one run of EVENTS_PER_SESSION in a row, in the order sent
      Set<String> sessions = new HashSet<>();
      for (int at = 0; at < seen.size(); at += EVENTS_PER_SESSION) {
        String session = seen.get(at).substring(0, seen.get(at).lastIndexOf('.'));
        List<String> wanted = new ArrayList<>();
        for (int k = 0; k < EVENTS_PER_SESSION; k++) {
          wanted.add(session + "." + k);
        }
        assertThat(seen.subList(at, at + EVENTS_PER_SESSION)).as("at %d", at).isEqualTo(wanted);
        assertThat(sessions.add(session)).as("%s seen twice", session).isTrue();
      }
      assertThat(sessions).hasSize(WRITERS * SESSIONS_PER_WRITER);
    } finally {
      subscription.stop();
    }
  }

  /** Sessions of three fresh streams, two events each, typed {@code <session>.<index>}. */
  private static void write(String run, int writer) {
    for (int s = 0; s < SESSIONS_PER_WRITER; s++) {
      String session = "w" + writer + "s" + s;
      String prefix = run + "-" + session;
      try {
        fx.append(
            request(prefix + "a", StreamState.noStream(), event(session, 0), event(session, 1)),
            request(prefix + "b", StreamState.noStream(), event(session, 2), event(session, 3)),
            request(prefix + "c", StreamState.noStream(), event(session, 4), event(session, 5)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static EventData event(String session, int index) {
    return EventData.builderAsJson(
            UUID.randomUUID(), session + "." + index, "{}".getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
