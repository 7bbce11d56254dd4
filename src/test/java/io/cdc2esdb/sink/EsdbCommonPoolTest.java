package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

class EsdbCommonPoolTest {

  @Test
  void shouldKeepAnExplicitParallelismAndReportWhetherTheClientChurnsThreads() {
    String before = System.getProperty(EsdbCommonPool.PARALLELISM_PROPERTY);
    try {
      System.setProperty(EsdbCommonPool.PARALLELISM_PROPERTY, "3");
      boolean pooled = EsdbCommonPool.configure();
      assertThat(System.getProperty(EsdbCommonPool.PARALLELISM_PROPERTY)).isEqualTo("3");
      assertThat(pooled).isEqualTo(ForkJoinPool.getCommonPoolParallelism() >= 2);
      assertThat(EsdbCommonPool.churnsThreads()).isEqualTo(!pooled);
    } finally {
      if (before == null) {
        System.clearProperty(EsdbCommonPool.PARALLELISM_PROPERTY);
      } else {
        System.setProperty(EsdbCommonPool.PARALLELISM_PROPERTY, before);
      }
    }
  }
}
