package io.cdc2esdb.dev.emulator;

/**
 * A failure a real server can answer an append with, injected into the emulator so that what a
 * writer does about it can be tested through the real client.
 */
public enum AppendFault {
  /** The write happens but the answer is the server's commit timeout ({@code ABORTED}). */
  TIMEOUT_AFTER_WRITE,
  /** Nothing is written; the answer is the server's commit timeout ({@code ABORTED}). */
  TIMEOUT,
  /** Nothing is written; the node is not the leader ({@code NOT_FOUND}, leader endpoint). */
  NOT_LEADER,
  /** Nothing is written; the node is not ready ({@code UNAVAILABLE}). */
  NOT_READY,
  /** Nothing is written; access denied ({@code PERMISSION_DENIED}). */
  ACCESS_DENIED,
  /**
   * Nothing is written and no answer ever comes, as from a frozen server: the call stays open until
   * the client gives up (its deadline) or goes away.
   */
  NO_ANSWER
}
