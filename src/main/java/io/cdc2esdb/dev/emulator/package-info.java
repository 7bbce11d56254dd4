/**
 * An EventStoreDB emulator for tests, {@code demo} and the {@code emulator} command: a gRPC server
 * built on the clients' own generated service classes, answering db-client-java as a single-node
 * 24.10 server would over v1 ({@code Append} and {@code BatchAppend} share one write path, {@link
 * io.cdc2esdb.dev.emulator.V1Append}) and, from {@link
 * io.cdc2esdb.dev.emulator.ServerVersion#V25_1} on, kurrentdb-client's multi-stream {@code
 * AppendSession} over v2 as KurrentDB does (the rules it reproduces are checked by the conformance
 * tests).
 *
 * <p>{@link io.cdc2esdb.dev.emulator.EventStoreEmulator} is the entry point. The services here only
 * translate the wire protocol; the rules live in the storage engine, {@link
 * io.cdc2esdb.dev.emulator.store}. Reads and subscriptions are sent at the pace the client consumes
 * them ({@link io.cdc2esdb.dev.emulator.ResponsePump}).
 */
package io.cdc2esdb.dev.emulator;
