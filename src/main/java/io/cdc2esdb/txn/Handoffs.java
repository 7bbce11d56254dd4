package io.cdc2esdb.txn;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.processor.TaskId;

/**
 * One {@link Handoff} per task, shared by the task's group and append processors (which their
 * suppliers create separately). A task's processors are initialised and closed together on one
 * stream thread; tasks of different threads use the map concurrently.
 */
public final class Handoffs {

  private final Map<TaskId, Handoff> byTask = new ConcurrentHashMap<>();

  public Handoff forTask(TaskId task) {
    return byTask.computeIfAbsent(task, t -> new Handoff());
  }

  /** Forgets a closed task's handoff: a re-created task starts with nothing in flight. */
  public void closed(TaskId task) {
    byTask.remove(task);
  }
}
