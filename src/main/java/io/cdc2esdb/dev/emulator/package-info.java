/**
 * An EventStoreDB emulator for tests, {@code demo} and the {@code emulator} command: a gRPC server
 * built on db-client-java's own generated service classes, answering the real client as a
 * single-node 24.10 server would (the rules it reproduces are listed in the project's
 * esdb-server-semantics reference and checked by the conformance tests).
 *
 * <p>{@link io.cdc2esdb.dev.emulator.EventStoreEmulator} is the entry point. The services here only
 * translate the wire protocol; the rules live in the storage engine, {@link
 * io.cdc2esdb.dev.emulator.store}. Reads and subscriptions are sent at the pace the client consumes
 * them ({@link io.cdc2esdb.dev.emulator.ResponsePump}).
 */
package io.cdc2esdb.dev.emulator;
