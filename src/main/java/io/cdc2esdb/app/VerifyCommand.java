package io.cdc2esdb.app;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.EventStoreException;
import io.cdc2esdb.verify.Progress;
import io.cdc2esdb.verify.Verifier;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Reconciles the Debezium topics (and optionally the database) with EventStoreDB. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
      "Check that EventStoreDB holds exactly what the Debezium topics imply: per stream, events"
          + " expected, present, missing, duplicated, out of order and unexpected; dead letters by"
          + " code; stream-positions against EventStoreDB. Exit 0 when everything matches, 1"
          + " otherwise, 2 on bad configuration."
    })
public final class VerifyCommand implements Callable<Integer> {

  @Option(names = "--config", required = true, description = "The configuration `run` uses.")
  Path config;

  @Option(
      names = "--from",
      paramLabel = "TIME",
      description =
          "Read the topics from this time on (ISO-8601, e.g. 2026-12-01T10:00:00Z) instead of"
              + " from the beginning.")
  String from;

  @Option(
      names = "--against-db",
      paramLabel = "JDBC-URL",
      description =
          "Also fold each table's streams and compare with SELECT * of the table"
              + " (jdbc:mariadb://... or jdbc:mysql://..., credentials in the URL).")
  String jdbcUrl;

  @Option(names = "--report", paramLabel = "FILE", description = "Also write the report as JSON.")
  Path report;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where to keep scratch data on disk (default: the system's temp directory).")
  Path workDir;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Longest wait for Kafka to answer (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = 60;

  @Option(
      names = "--progress",
      negatable = true,
      description = "Progress bars on stderr (default: when stderr is a terminal).")
  Boolean progress;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Settings settings;
    Instant since;
    try {
      settings = Settings.load(config, System.getenv());
      since = from == null ? null : Instant.parse(from);
    } catch (ConfigException e) {
      err.println("Invalid configuration: " + e.getMessage());
      return ExitCodes.BAD_CONFIGURATION;
    } catch (DateTimeParseException e) {
      err.println("--from: not an ISO-8601 instant: " + from);
      return ExitCodes.BAD_CONFIGURATION;
    }
    CdcConfig cdc = settings.cdc();
    boolean bars = progress != null ? progress : System.console() != null;
    Verifier.Options options =
        new Verifier.Options(since, jdbcUrl, workDir, Duration.ofSeconds(timeoutSeconds));
    try (EsdbReader esdb =
        EsdbReader.connect(cdc.esdbConnectionString().value(), cdc.esdbDeadlineMs())) {
      Verifier verifier =
          new Verifier(settings, esdb, options, bars ? Progress.on(System.err) : Progress.none());
      return verifier.run(out, report) ? 0 : 1;
    } catch (IllegalArgumentException e) {
      err.println("Invalid configuration: " + e.getMessage());
      return ExitCodes.BAD_CONFIGURATION;
    } catch (KafkaException | EventStoreException | IllegalStateException e) {
      err.println("verify could not finish: " + e.getMessage());
      return 1;
    }
  }
}
