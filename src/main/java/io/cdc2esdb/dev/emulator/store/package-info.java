/**
 * The emulator's storage engine, plain Java: an append-only log whose record offsets are the {@code
 * $all} positions, per-stream indexes, stream metadata, the {@code any} id cache, and the two
 * system projections. {@link io.cdc2esdb.dev.emulator.store.CommitCheck} holds the append rules,
 * {@link io.cdc2esdb.dev.emulator.store.StreamIndex} the read rules, {@link
 * io.cdc2esdb.dev.emulator.store.LogFile} the optional on-disk log.
 */
package io.cdc2esdb.dev.emulator.store;
