package io.cdc2esdb.dev.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The top frames of a JDK Flight Recorder file's CPU samples ({@code jdk.ExecutionSample}) in a
 * time window: by own time (the sampled frame itself) and by inclusive time (any frame on the
 * stack, counted once per sample).
 */
public final class JfrSummary {

  /** A frame and its share of the window's samples. */
  public record Frame(String method, long samples, double percent) {}

  /**
   * The window's sample count and its top entries: frames by own time, packages by own time, and
   * cdc2esdb's own frames by inclusive time (where in the project the CPU goes).
   */
  public record Profile(long samples, List<Frame> self, List<Frame> packages, List<Frame> project) {
    public String markdown() {
      StringBuilder out = new StringBuilder();
      out.append(String.format(Locale.ROOT, "%d CPU samples (jdk.ExecutionSample).%n%n", samples));
      out.append(
          "| own % | frame (own time) | own % | package (own time) | incl. % | cdc2esdb frame (inclusive) |\n");
      out.append("|---:|---|---:|---|---:|---|\n");
      int rows = Math.max(self.size(), Math.max(packages.size(), project.size()));
      for (int i = 0; i < rows; i++) {
        out.append('|').append(cell(self, i)).append('|').append(cell(packages, i));
        out.append('|').append(cell(project, i)).append("|\n");
      }
      return out.toString();
    }

    private static String cell(List<Frame> frames, int i) {
      if (i >= frames.size()) {
        return " | ";
      }
      Frame f = frames.get(i);
      return String.format(Locale.ROOT, " %.1f | `%s` ", f.percent(), f.method());
    }
  }

  private static final String PROJECT = "io.cdc2esdb.";

  private JfrSummary() {}

  /**
   * @param from the window's start (inclusive), or null for the recording's start
   * @param to the window's end (exclusive), or null for its end
   * @param top how many frames of each kind
   */
  public static Profile summarise(Path recording, Instant from, Instant to, int top) {
    Map<String, Long> self = new HashMap<>();
    Map<String, Long> packages = new HashMap<>();
    Map<String, Long> project = new HashMap<>();
    long samples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
          continue;
        }
        Instant at = event.getStartTime();
        if ((from != null && at.isBefore(from)) || (to != null && !at.isBefore(to))) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        samples++;
        List<RecordedFrame> frames = stack.getFrames();
        self.merge(name(frames.get(0)), 1L, Long::sum);
        packages.merge(packageOf(frames.get(0)), 1L, Long::sum);
        Set<String> seen = new HashSet<>();
        for (RecordedFrame frame : frames) {
          if (typeName(frame).startsWith(PROJECT)) {
            String name = name(frame);
            if (seen.add(name)) {
              project.merge(name, 1L, Long::sum);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + recording, e);
    }
    return new Profile(
        samples, top(self, samples, top), top(packages, samples, top), top(project, samples, top));
  }

  private static List<Frame> top(Map<String, Long> counts, long samples, int n) {
    return counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(n)
        .map(e -> new Frame(e.getKey(), e.getValue(), 100.0 * e.getValue() / samples))
        .toList();
  }

  /** The first three parts of the frame's package ({@code com.fasterxml.jackson}). */
  static String packageOf(RecordedFrame frame) {
    String type = typeName(frame);
    String[] parts = type.split("\\.");
    int n = Math.min(3, parts.length - 1);
    return n <= 0 ? "(default)" : String.join(".", Arrays.copyOf(parts, n));
  }

  /**
   * The frame's class, a lambda's hidden class named after the class that defined it ({@code
   * GroupProcessor$$Lambda}).
   */
  static String typeName(RecordedFrame frame) {
    String type = frame.getMethod().getType().getName();
    int lambda = type.indexOf("$$Lambda");
    return lambda < 0 ? type : type.substring(0, lambda + "$$Lambda".length());
  }

  private static String name(RecordedFrame frame) {
    String type = typeName(frame);
    return type.substring(type.lastIndexOf('.') + 1) + "." + frame.getMethod().getName();
  }
}
