package io.cdc2esdb.txn;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The link between one task's group step and its append step: whether a released batch is still
 * waiting for EventStoreDB's acknowledgement. The group step releases the next batch only when the
 * previous one was acknowledged, so at most one flush per task is in flight and each flush takes
 * everything released meanwhile. Both steps of a task run on its stream thread: no locking.
 */
public final class Handoff {

  private boolean inFlight;
  private int inFlightEvents;
  private CompletableFuture<?> answer;

  /** Whether the group step may release another batch. */
  public boolean idle() {
    return !inFlight;
  }

  /** The group step handed over {@code events} events. */
  void handedOver(int events) {
    if (inFlight) {
      throw new IllegalStateException("a batch is already in flight");
    }
    inFlight = true;
    inFlightEvents = events;
  }

  /** The append step sent the handed-over batch; {@code answer} completes with EventStoreDB's. */
  public void sent(CompletableFuture<?> answer) {
    this.answer = answer;
  }

  /** The append step recorded the handed-over batch (written, skipped or dead-lettered). */
  public void acknowledged() {
    inFlight = false;
    inFlightEvents = 0;
    answer = null;
  }

  /**
   * Waits up to {@code maxMs} for the answer to the batch in flight (not for it to be recorded).
   */
  void await(long maxMs) {
    CompletableFuture<?> pending = answer;
    if (pending == null || maxMs <= 0) {
      return;
    }
    try {
      pending.get(maxMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // The append step deals with the outcome; here only the wait matters.
    }
  }

  /** Events handed over and not yet acknowledged. */
  public int inFlightEvents() {
    return inFlightEvents;
  }
}
