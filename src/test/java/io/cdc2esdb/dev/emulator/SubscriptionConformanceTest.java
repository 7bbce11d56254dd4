package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionFilter;
import io.grpc.Status;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Subscriptions: confirmation, catch-up, caught-up, live; to a stream and to {@code $all}. */
class SubscriptionConformanceTest {

  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void shouldConfirmThenCatchUpThenSignalCaughtUpThenDeliverLiveEvents() throws Exception {
    String s = stream("sub");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client
            .subscribeToStream(s, listener, SubscribeToStreamOptions.get().fromStart())
            .get(10, TimeUnit.SECONDS);
    try {
      assertThat(listener.next(4))
          .containsExactly("confirmed", s + "/0/A", s + "/1/B", "caught-up");
      fx.append(s, ExpectedRevision.expectedRevision(1), event("C"));
      assertThat(listener.next(1)).containsExactly(s + "/2/C");
    } finally {
      subscription.stop();
    }
  }

  @Test
  void shouldStartStrictlyAfterTheGivenRevision() throws Exception {
    String s = stream("sub");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"));
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client
            .subscribeToStream(s, listener, SubscribeToStreamOptions.get().fromRevision(0))
            .get();
    try {
      assertThat(listener.next(4))
          .containsExactly("confirmed", s + "/1/B", s + "/2/C", "caught-up");
    } finally {
      subscription.stop();
    }
  }

  @Test
  void shouldDeliverOnlyNewEventsFromTheEnd() throws Exception {
    String s = stream("sub");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client.subscribeToStream(s, listener, SubscribeToStreamOptions.get().fromEnd()).get();
    try {
      assertThat(listener.next(2)).containsExactly("confirmed", "caught-up");
      fx.append(s, ExpectedRevision.expectedRevision(0), event("B"));
      assertThat(listener.next(1)).containsExactly(s + "/1/B");
    } finally {
      subscription.stop();
    }
  }

  @Test
  void shouldFollowAStreamThatDoesNotExistYet() throws Exception {
    String s = stream("sub");
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client.subscribeToStream(s, listener, SubscribeToStreamOptions.get().fromStart()).get();
    try {
      assertThat(listener.next(2)).containsExactly("confirmed", "caught-up");
      fx.append(s, ExpectedRevision.noStream(), event("A"));
      assertThat(listener.next(1)).containsExactly(s + "/0/A");
    } finally {
      subscription.stop();
    }
  }

  @Test
  void shouldEndAStreamSubscriptionWithStreamDeletedWhenTheStreamIsTombstoned() throws Exception {
    String s = stream("sub");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    RecordingListener listener = new RecordingListener();
    fx.client.subscribeToStream(s, listener, SubscribeToStreamOptions.get().fromStart()).get();
    assertThat(listener.next(3)).containsExactly("confirmed", s + "/0/A", "caught-up");
    fx.client.tombstoneStream(s).get();
    assertThat(listener.next(2))
        .containsExactly(s + "/" + Long.MAX_VALUE + "/$streamDeleted", "dropped");
    assertThat(Status.fromThrowable(listener.dropped).getCode())
        .isEqualTo(Status.Code.FAILED_PRECONDITION);
  }

  @Test
  void shouldSubscribeToAllStrictlyAfterAPosition() throws Exception {
    String s = stream("suball");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    Position first = fx.read(s).get(0).getPosition();
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client
            .subscribeToAll(
                listener,
                SubscribeToAllOptions.get()
                    .fromPosition(first)
                    .filter(SubscriptionFilter.newBuilder().addStreamNamePrefix(s).build()))
            .get();
    try {
      assertThat(listener.next(3)).containsExactly("confirmed", s + "/1/B", "caught-up");
      fx.append(s, ExpectedRevision.expectedRevision(1), event("C"));
      assertThat(listener.next(1)).containsExactly(s + "/2/C");
    } finally {
      subscription.stop();
    }
  }

  @Test
  void shouldCatchUpOnAllFromTheStartAndGoLive() throws Exception {
    String s = stream("suball");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client.subscribeToAll(listener, SubscribeToAllOptions.get().fromStart()).get();
    try {
      listener.awaitSignal(s + "/0/A");
      listener.awaitSignal("caught-up");
      fx.append(s, ExpectedRevision.expectedRevision(0), event("B"));
      listener.awaitSignal(s + "/1/B");
    } finally {
      subscription.stop();
    }
  }

  @Test
  void shouldSubscribeToAllFromTheEndForLiveEventsOnly() throws Exception {
    String s = stream("suball");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client
            .subscribeToAll(
                listener,
                SubscribeToAllOptions.get()
                    .fromEnd()
                    .filter(SubscriptionFilter.newBuilder().addStreamNamePrefix(s).build()))
            .get();
    try {
      assertThat(listener.next(2)).containsExactly("confirmed", "caught-up");
      fx.append(s, ExpectedRevision.expectedRevision(0), event("B"));
      assertThat(listener.next(1)).containsExactly(s + "/1/B");
    } finally {
      subscription.stop();
    }
  }

  @Test
  void shouldFilterAllByEventType() throws Exception {
    String s = stream("suball");
    String type = "Only" + Long.toHexString(System.nanoTime());
    fx.append(s, ExpectedRevision.noStream(), event("Other"), event(type));
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client
            .subscribeToAll(
                listener,
                SubscribeToAllOptions.get()
                    .fromStart()
                    .filter(SubscriptionFilter.newBuilder().addEventTypePrefix(type).build()))
            .get();
    try {
      assertThat(listener.next(3)).containsExactly("confirmed", s + "/1/" + type, "caught-up");
    } finally {
      subscription.stop();
    }
  }
}
