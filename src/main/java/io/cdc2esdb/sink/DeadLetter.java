package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;

/**
 * An event that could not be written, and why: {@code error} is a stable code ({@code
 * event-too-large}, {@code stream-deleted}, {@code conflict}, {@code rejected}), {@code message}
 * says it for people.
 */
public record DeadLetter(ProposedEvent event, String error, String message) {

  public static final String EVENT_TOO_LARGE = "event-too-large";
  public static final String STREAM_DELETED = "stream-deleted";
  public static final String CONFLICT = "conflict";
  public static final String REJECTED = "rejected";
}
