package io.cdc2esdb.sink;

import java.util.concurrent.ForkJoinPool;

/**
 * db-client-java runs the asynchronous steps of every call with {@code CompletableFuture}'s default
 * executor and offers no way to pass another. That executor is the common {@link ForkJoinPool} only
 * when its parallelism is at least 2; on a 2-core machine the JDK sizes it to 1 and {@code
 * CompletableFuture} then starts a new thread for every step: several threads per append. Setting
 * the system property {@value #PARALLELISM_PROPERTY} (to {@value #RECOMMENDED_PARALLELISM}) before
 * anything touches {@code CompletableFuture} or {@code ForkJoinPool} avoids that churn — on the
 * command line ({@code -D…}), or with {@link #configure()} as the first statement of {@code main}.
 * See {@code bench/writer-benchmark.md} for what it buys.
 */
public final class EsdbCommonPool {

  public static final String PARALLELISM_PROPERTY =
      "java.util.concurrent.ForkJoinPool.common.parallelism";
  public static final int RECOMMENDED_PARALLELISM = 4;

  private EsdbCommonPool() {}

  /**
   * Sets the common pool's parallelism unless it was set explicitly; a no-op (returning false) if
   * the pool is already initialised with a parallelism below 2.
   */
  public static boolean configure() {
    if (System.getProperty(PARALLELISM_PROPERTY) == null) {
      System.setProperty(PARALLELISM_PROPERTY, Integer.toString(RECOMMENDED_PARALLELISM));
    }
    return !churnsThreads();
  }

  /** True when the client's asynchronous steps each get a new thread. */
  public static boolean churnsThreads() {
    return ForkJoinPool.getCommonPoolParallelism() < 2;
  }
}
