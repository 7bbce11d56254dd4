package io.cdc2esdb.dev.bench;

/**
 * One look at a process under measurement: when ({@link System#nanoTime()}), how many events it had
 * written, its CPU time so far, resident memory (now and peak), heap in use, garbage collections so
 * far (count, ms), and the CPU time so far of the processes it works with (the broker and
 * EventStoreDB), which a change can move work to or from.
 */
public record Sample(
    long nanos,
    long written,
    long cpuNanos,
    long rssBytes,
    long peakRssBytes,
    long heapUsedBytes,
    long gcCount,
    long gcMillis,
    long othersCpuNanos) {}
