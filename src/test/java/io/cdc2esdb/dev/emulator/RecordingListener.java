package io.cdc2esdb.dev.emulator;

import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records what a subscription delivers as a sequence of signals: {@code confirmed}, {@code
 * <stream>/<revision>/<type>} per event, {@code caught-up}, {@code dropped}.
 */
final class RecordingListener extends SubscriptionListener {

  final BlockingQueue<String> signals = new LinkedBlockingQueue<>();
  final BlockingQueue<ResolvedEvent> events = new LinkedBlockingQueue<>();
  volatile Throwable dropped;

  @Override
  public void onConfirmation(Subscription subscription) {
    signals.add("confirmed");
  }

  @Override
  public void onEvent(Subscription subscription, ResolvedEvent event) {
    events.add(event);
    var e = event.getOriginalEvent();
    signals.add(e.getStreamId() + "/" + e.getRevision() + "/" + e.getEventType());
  }

  @Override
  public void onCaughtUp(Subscription subscription) {
    signals.add("caught-up");
  }

  @Override
  public void onCancelled(Subscription subscription, Throwable exception) {
    dropped = exception;
    signals.add("dropped");
  }

  /** The next {@code count} signals, failing if they do not come within 10 s. */
  List<String> next(int count) throws InterruptedException {
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String signal = signals.poll(10, TimeUnit.SECONDS);
      if (signal == null) {
        throw new AssertionError("only got " + taken + " of " + count + " signals");
      }
      taken.add(signal);
    }
    return taken;
  }

  /** Skips signals until {@code wanted} (failing if it does not come within 10 s). */
  void awaitSignal(String wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String signal = signals.poll(100, TimeUnit.MILLISECONDS);
      if (wanted.equals(signal)) {
        return;
      }
    }
    throw new AssertionError("no " + wanted + " signal");
  }
}
