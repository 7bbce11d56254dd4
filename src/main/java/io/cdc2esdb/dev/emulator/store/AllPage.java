package io.cdc2esdb.dev.emulator.store;

import java.util.List;

/**
 * A page of {@code $all}: the matching records, where to continue ({@code next}: for a forwards
 * page the position to read from, inclusive; backwards, the position to read before) and whether
 * the end of the log (its start, backwards) was reached.
 */
public record AllPage(List<ResolvedRecord> events, long next, boolean end) {}
