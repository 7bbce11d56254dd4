package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A subscription that sees nothing for 45 s stays open: the client pings every 10 s, and a server
 * that does not permit that (grpc-java's default) ends the connection with too_many_pings after
 * about 30 s.
 */
class IdleSubscriptionIT {

  @Test
  void shouldKeepAnIdleSubscriptionAliveForFortyFiveSeconds() throws Exception {
    try (EmulatorFixture fx = new EmulatorFixture()) {
      String s = stream("idle");
      RecordingListener listener = new RecordingListener();
      Subscription subscription =
          fx.client
              .subscribeToStream(s, listener, SubscribeToStreamOptions.get().fromStart())
              .get();
      assertThat(listener.next(2)).containsExactly("confirmed", "caught-up");

      assertThat(listener.signals.poll(45, TimeUnit.SECONDS)).as("nothing, not a drop").isNull();

      fx.append(s, ExpectedRevision.noStream(), event("Late"));
      assertThat(listener.next(1)).containsExactly(s + "/0/Late");
      assertThat(listener.dropped).isNull();
      subscription.stop();
    }
  }
}
