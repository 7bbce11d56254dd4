package io.cdc2esdb.dev.app;

import java.util.List;
import java.util.Map;

/** Where a demo's change events come from: a capture file, or a live database with Debezium. */
interface DemoSource extends AutoCloseable {

  /** Puts the source's topics on the broker (and starts what feeds them) before cdc2esdb runs. */
  void prepare(LocalPipeline pipeline, DemoConsole console);

  /** cdc2esdb's settings for this source's topics. */
  Map<String, String> settings();

  /** Makes changes once cdc2esdb runs; returns when all of them are in Kafka. */
  void feed(LocalPipeline pipeline, DemoConsole console);

  /**
   * Whether the source has table topics to wait for; a capture of only transaction or schema-change
   * records has none, and then there is nothing to catch up with.
   */
  default boolean hasTableTopics() {
    return true;
  }

  /** How to go on exploring this source (e.g. a SQL prompt); empty when there is nothing to add. */
  List<String> explore();

  @Override
  void close();
}
