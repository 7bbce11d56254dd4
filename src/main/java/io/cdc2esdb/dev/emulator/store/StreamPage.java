package io.cdc2esdb.dev.emulator.store;

import java.util.List;

/**
 * A page of a stream as a subscription follows it. {@code deleted}: the stream is tombstoned and
 * the subscription ends after {@code events} (which then ends with the tombstone, if the
 * subscription was live).
 */
public record StreamPage(List<ResolvedRecord> events, boolean deleted) {}
