package io.cdc2esdb.dev.emulator.store;

import java.util.List;

/** One stream's part of a multi-stream append: its expected version and its events, in order. */
public record StreamWrite(String stream, long expected, List<NewEvent> events) {

  public StreamWrite {
    events = List.copyOf(events);
  }
}
