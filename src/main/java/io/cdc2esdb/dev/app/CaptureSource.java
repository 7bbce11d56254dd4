package io.cdc2esdb.dev.app;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.CaptureReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A capture file replayed under its own topic names, with cdc2esdb configured for them. */
final class CaptureSource implements DemoSource {

  static final String SAMPLE_RESOURCE = "/sample/connect-dump.jsonl";

  private final String name;
  private final List<CaptureRecord> records;
  private final CaptureTopics topics;

  private CaptureSource(String name, List<CaptureRecord> records) {
    this.name = name;
    this.records = records;
    this.topics = CaptureTopics.of(records.stream().map(CaptureRecord::topic).toList());
  }

  /** Real Debezium output from MariaDB, shipped in the jar. */
  static CaptureSource sample() {
    try (InputStream in = CaptureSource.class.getResourceAsStream(SAMPLE_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the bundled sample " + SAMPLE_RESOURCE + " is missing");
      }
      return new CaptureSource(
          "the bundled sample (Debezium 3.5 MariaDB connector in Kafka Connect, MariaDB 10.11)",
          CaptureFile.read(in, SAMPLE_RESOURCE));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * @throws io.cdc2esdb.dev.CaptureFormatException naming the line that is not a record
   */
  static CaptureSource file(Path file) {
    return new CaptureSource(file.getFileName().toString(), CaptureFile.read(file));
  }

  @Override
  public void prepare(LocalPipeline pipeline, DemoConsole console) {
    Map<String, Integer> partitions = new HashMap<>();
    records.forEach(r -> partitions.merge(r.topic(), r.partition() + 1, Math::max));
    pipeline.createTopics(partitions);
    int produced = CaptureReplayer.replay(pipeline.bootstrapServers(), records);
    long data = records.stream().filter(r -> topics.dataTopics().contains(r.topic())).count();
    console.step(
        "Replayed %d records of %s: %d change records on %s, topic prefix %s",
        produced,
        name,
        data,
        topics.dataTopics().isEmpty() ? "no table topic" : String.join(", ", topics.dataTopics()),
        topics.prefix());
  }

  @Override
  public Map<String, String> settings() {
    Map<String, String> settings = new HashMap<>(topics.settings());
    // Everything is in Kafka before cdc2esdb starts, and the transactions store is loaded
    // before any change is processed: a transaction whose END is not there now never comes
    // (a partial capture), so waiting the production default for it only delays the demo.
    settings.put(CdcConfig.TRANSACTION_MAX_WAIT_MS, "1000");
    return settings;
  }

  @Override
  public void feed(LocalPipeline pipeline, DemoConsole console) {
    // all of it was replayed by prepare
  }

  @Override
  public boolean hasTableTopics() {
    return !topics.dataTopics().isEmpty();
  }

  @Override
  public List<String> explore() {
    return List.of();
  }

  @Override
  public void close() {
    // nothing running
  }
}
