package io.cdc2esdb.verify;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code verify} found: totals, dead letters by code, and every stream or row that differs.
 * Differences are printed as they are found (up to {@link #PRINTED} lines) and, with a report file,
 * streamed into its JSON so that a store of millions of streams never sits in memory.
 */
final class VerifyReport implements AutoCloseable {

  static final int PRINTED = 50;

  private final PrintWriter out;
  private final JsonGenerator json;
  private final Totals totals = new Totals();
  private final Map<String, Long> deadLetters = new TreeMap<>();
  private boolean inStreams;
  private boolean inRows;
  private final List<String> notes = new ArrayList<>();
  private int printed;

  /** Counts over the whole run. */
  static final class Totals {
    long inputRecords;
    long changes;
    long tombstones;
    long ignored;
    long redelivered;
    long streams;
    long expected;
    long present;
    long missing;
    long duplicated;
    long outOfOrder;
    long unexpected;
    long foreignStreams;
    long deadLettered;
    long deadLettersMissing;
    long positionsChecked;
    long positionsDiffer;
    long tablesCompared;
    long rowsCompared;
    long rowsDiffer;

    boolean matches() {
      return missing == 0
          && duplicated == 0
          && outOfOrder == 0
          && unexpected == 0
          && deadLettersMissing == 0
          && positionsDiffer == 0
          && rowsDiffer == 0;
    }
  }

  VerifyReport(PrintWriter out, Path reportFile) {
    this.out = out;
    try {
      this.json =
          reportFile == null
              ? null
              : Json.MAPPER
                  .createGenerator(Files.newOutputStream(reportFile))
                  .useDefaultPrettyPrinter();
      if (json != null) {
        json.writeStartObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + reportFile, e);
    }
  }

  Totals totals() {
    return totals;
  }

  void deadLetter(String code) {
    totals.deadLettered++;
    deadLetters.merge(code == null ? "(no code)" : code, 1L, Long::sum);
  }

  /** Something the reader should know about what was (not) compared. */
  void note(String note) {
    notes.add(note);
  }

  /** One stream's verdict; {@code positionRevision} is null when the state was not read. */
  void stream(StreamCheck.Result result, Long positionRevision) {
    totals.streams++;
    totals.expected += result.expected();
    totals.present += result.present();
    totals.missing += result.missing();
    totals.duplicated += result.duplicated();
    totals.outOfOrder += result.outOfOrder();
    totals.unexpected += result.unexpected();
    boolean positionDiffers = false;
    if (positionRevision != null) {
      totals.positionsChecked++;
      positionDiffers = positionRevision != result.lastRevision();
      if (positionDiffers) {
        totals.positionsDiffer++;
      }
    }
    if (result.matches() && !positionDiffers) {
      return;
    }
    StringBuilder line = new StringBuilder(result.stream()).append(':');
    kind(line, result.missing(), "missing");
    kind(line, result.duplicated(), "duplicated");
    kind(line, result.outOfOrder(), "out of order");
    kind(line, result.unexpected(), "unexpected");
    if (result.expected() == 0) {
      line.append(" (not from our input)");
    }
    if (positionDiffers) {
      line.append(" stream-positions says revision ")
          .append(positionRevision)
          .append(", EventStoreDB has ")
          .append(result.lastRevision());
    }
    print(line + (result.examples().isEmpty() ? "" : "; " + String.join("; ", result.examples())));
    write(
        () -> {
          if (!inStreams) {
            json.writeArrayFieldStart("streams");
            inStreams = true;
          }
          json.writeStartObject();
          json.writeStringField("stream", result.stream());
          json.writeNumberField("expected", result.expected());
          json.writeNumberField("present", result.present());
          json.writeNumberField("missing", result.missing());
          json.writeNumberField("duplicated", result.duplicated());
          json.writeNumberField("outOfOrder", result.outOfOrder());
          json.writeNumberField("unexpected", result.unexpected());
          json.writeNumberField("lastRevision", result.lastRevision());
          if (positionRevision != null) {
            json.writeNumberField("positionRevision", positionRevision);
          }
          json.writeArrayFieldStart("examples");
          for (String example : result.examples()) {
            json.writeString(example);
          }
          json.writeEndArray();
          json.writeEndObject();
        });
  }

  /** An input record that should be on the dead-letter topic and is not. */
  void deadLetterMissing(String origin, String code) {
    totals.deadLettersMissing++;
    print(origin + ": should be dead-lettered (" + code + ") but is not on the dead-letter topic");
  }

  /** A table row that differs between the fold of its stream and the database. */
  void rowDiffers(String table, String stream, String what) {
    totals.rowsDiffer++;
    print(table + " row " + stream + ": " + what);
    write(
        () -> {
          if (inStreams) {
            json.writeEndArray();
            inStreams = false;
          }
          if (!inRows) {
            json.writeArrayFieldStart("rows");
            inRows = true;
          }
          json.writeStartObject();
          json.writeStringField("table", table);
          json.writeStringField("stream", stream);
          json.writeStringField("difference", what);
          json.writeEndObject();
        });
  }

  /** Ends the report: the summary line, and the report file's totals. */
  boolean finish() {
    Totals t = totals;
    boolean ok = t.matches();
    notes.forEach(n -> out.println("note: " + n));
    if (printed > PRINTED) {
      out.printf("... and %d more differences%n", printed - PRINTED);
    }
    StringBuilder dead = new StringBuilder();
    deadLetters.forEach(
        (code, n) -> dead.append(dead.isEmpty() ? " (" : ", ").append(code).append(' ').append(n));
    if (!dead.isEmpty()) {
      dead.append(')');
    }
    out.printf(
        "verify: %s: %d streams, %d events expected, %d present, %d missing, %d duplicated,"
            + " %d out of order, %d unexpected; %d dead-lettered%s%s; %s%s%n",
        ok ? "OK" : "DIFFERENT",
        t.streams,
        t.expected,
        t.present,
        t.missing,
        t.duplicated,
        t.outOfOrder,
        t.unexpected,
        t.deadLettered,
        dead,
        t.deadLettersMissing == 0 ? "" : ", " + t.deadLettersMissing + " not dead-lettered",
        t.positionsChecked == 0
            ? "stream-positions not read"
            : t.positionsDiffer + " of " + t.positionsChecked + " stream positions differ",
        t.tablesCompared == 0
            ? ""
            : "; "
                + t.tablesCompared
                + " tables, "
                + t.rowsCompared
                + " rows compared, "
                + t.rowsDiffer
                + " differ");
    out.flush();
    write(
        () -> {
          if (inStreams || inRows) {
            json.writeEndArray();
            inStreams = false;
            inRows = false;
          }
          json.writeBooleanField("ok", ok);
          json.writeObjectFieldStart("totals");
          json.writeNumberField("inputRecords", t.inputRecords);
          json.writeNumberField("changes", t.changes);
          json.writeNumberField("tombstones", t.tombstones);
          json.writeNumberField("ignored", t.ignored);
          json.writeNumberField("redelivered", t.redelivered);
          json.writeNumberField("streams", t.streams);
          json.writeNumberField("expected", t.expected);
          json.writeNumberField("present", t.present);
          json.writeNumberField("missing", t.missing);
          json.writeNumberField("duplicated", t.duplicated);
          json.writeNumberField("outOfOrder", t.outOfOrder);
          json.writeNumberField("unexpected", t.unexpected);
          json.writeNumberField("foreignStreams", t.foreignStreams);
          json.writeNumberField("deadLettered", t.deadLettered);
          json.writeNumberField("deadLettersMissing", t.deadLettersMissing);
          json.writeNumberField("positionsChecked", t.positionsChecked);
          json.writeNumberField("positionsDiffer", t.positionsDiffer);
          json.writeNumberField("tablesCompared", t.tablesCompared);
          json.writeNumberField("rowsCompared", t.rowsCompared);
          json.writeNumberField("rowsDiffer", t.rowsDiffer);
          json.writeEndObject();
          json.writeObjectFieldStart("deadLetters");
          for (var e : deadLetters.entrySet()) {
            json.writeNumberField(e.getKey(), e.getValue());
          }
          json.writeEndObject();
          json.writeArrayFieldStart("notes");
          for (String n : notes) {
            json.writeString(n);
          }
          json.writeEndArray();
        });
    return ok;
  }

  private static void kind(StringBuilder line, int count, String kind) {
    if (count > 0) {
      line.append(' ').append(count).append(' ').append(kind);
    }
  }

  private void print(String line) {
    if (printed++ < PRINTED) {
      out.println(line);
      out.flush();
    }
  }

  private interface JsonWrite {
    void write() throws IOException;
  }

  private void write(JsonWrite write) {
    if (json == null) {
      return;
    }
    try {
      write.write();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report", e);
    }
  }

  @Override
  public void close() {
    if (json != null) {
      try {
        json.writeEndObject();
        json.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the report", e);
      }
    }
  }
}
