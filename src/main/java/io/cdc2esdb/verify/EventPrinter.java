package io.cdc2esdb.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.ReadEvent;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code read}: prints events one JSON object a line (stream, revision, type, id, data, metadata),
 * data and metadata as JSON when they are JSON, else as text. Pages through any store.
 */
public final class EventPrinter {

  private static final int PAGE = 500;

  private final EsdbReader esdb;
  private final PrintWriter out;
  private final boolean system;
  private long printed;

  /**
   * @param system also print events of system streams ({@code $...}) when reading {@code $all}
   */
  public EventPrinter(EsdbReader esdb, PrintWriter out, boolean system) {
    this.esdb = esdb;
    this.out = out;
    this.system = system;
  }

  /** Prints {@code stream}'s events; returns how many. Links are shown as what they point to. */
  public long stream(String stream) {
    long from = 0;
    while (true) {
      List<ReadEvent> page = esdb.page(stream, from, PAGE, true);
      page.forEach(this::print);
      if (page.size() < PAGE) {
        return printed;
      }
      from += PAGE;
    }
  }

  /** Prints every event of {@code $all}, in commit order. */
  public long all() {
    EsdbReader.AllCursor cursor = EsdbReader.AllCursor.START;
    while (true) {
      EsdbReader.AllPage page = esdb.allPage(cursor, PAGE);
      page.events().forEach(this::print);
      if (page.end()) {
        return printed;
      }
      cursor = page.next();
    }
  }

  /**
   * Prints {@code stream} ({@code $all}: everything) from the start, then as it grows, until
   * interrupted.
   */
  public void follow(String stream) throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    try (AutoCloseable subscription =
        esdb.follow(
            stream,
            this::print,
            e -> {
              failure.set(e);
              ended.countDown();
            })) {
      ended.await();
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the subscription failed: " + e.getMessage(), e);
    }
    if (failure.get() != null) {
      throw new IllegalStateException(
          "the subscription to " + stream + " ended: " + failure.get().getMessage(), failure.get());
    }
  }

  private synchronized void print(ReadEvent event) {
    if (!system && event.stream().startsWith("$")) {
      return;
    }
    ObjectNode line = Json.object();
    line.put("stream", event.stream());
    line.put("revision", event.revision());
    line.put("type", event.type());
    line.put("id", event.id().toString());
    line.set("data", content(event.data()));
    line.set("metadata", content(event.metadata()));
    out.println(Json.text(line));
    out.flush();
    printed++;
  }

  private static JsonNode content(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return Json.MAPPER.nullNode();
    }
    try {
      return Json.read(bytes);
    } catch (IOException e) {
      return Json.MAPPER.getNodeFactory().textNode(new String(bytes, StandardCharsets.UTF_8));
    }
  }
}
