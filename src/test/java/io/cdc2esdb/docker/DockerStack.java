package io.cdc2esdb.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of {@code docker/} as the tests read them: the compose file, the connector files the
 * stack registers, the database's init scripts and cdc2esdb's properties file.
 */
final class DockerStack {

  static final Path DIR = Path.of("docker");
  static final Path COMPOSE = DIR.resolve("compose.yaml");
  static final Path DOT_ENV = DIR.resolve(".env");
  static final Path DOCKERFILE = DIR.resolve("Dockerfile");
  static final Path DOCKERIGNORE = DIR.resolve("Dockerfile.dockerignore");
  static final Path README = DIR.resolve("README.md");
  static final Path PROPERTIES = DIR.resolve("cdc2esdb.properties");
  static final Path CONNECT = DIR.resolve("connect");
  static final Path INITDB = DIR.resolve("initdb");

  private static final Pattern CREATE_TABLE =
      Pattern.compile("CREATE TABLE (\\w+)\\.(\\w+)", Pattern.CASE_INSENSITIVE);

  private final JsonNode compose;

  private DockerStack(JsonNode compose) {
    this.compose = compose;
  }

  static DockerStack load() {
    try {
      return new DockerStack(new YAMLMapper().readTree(COMPOSE.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  JsonNode root() {
    return compose;
  }

  List<String> services() {
    List<String> names = new ArrayList<>();
    compose.get("services").fieldNames().forEachRemaining(names::add);
    return names;
  }

  JsonNode service(String name) {
    JsonNode service = compose.at("/services/" + name);
    if (service.isMissingNode()) {
      throw new AssertionError("no service " + name + " in " + COMPOSE);
    }
    return service;
  }

  /** The service's profiles; empty when it always runs. */
  List<String> profiles(String service) {
    List<String> profiles = new ArrayList<>();
    service(service).path("profiles").forEach(p -> profiles.add(p.asText()));
    return profiles;
  }

  /** The service's environment, in its mapping form, values as text. */
  Map<String, String> environment(String service) {
    Map<String, String> env = new LinkedHashMap<>();
    service(service)
        .path("environment")
        .properties()
        .forEach(e -> env.put(e.getKey(), e.getValue().asText()));
    return env;
  }

  /** The topics the {@code topics} service creates before anything writes. */
  List<String> createdTopics() {
    return List.of(environment("topics").get("TOPICS").trim().split("\\s+"));
  }

  static JsonNode connectorFile(String name) {
    return readJson(CONNECT.resolve(name));
  }

  static String text(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return Json.MAPPER.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Properties properties() {
    Properties properties = new Properties();
    try (var reader = Files.newBufferedReader(PROPERTIES)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  /** The init scripts, in the order the images' entrypoints run them (by name). */
  static List<Path> initScripts() {
    try (Stream<Path> files = Files.list(INITDB)) {
      return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The statements of an init script: comments dropped, split at each {@code ;} ending a line. */
  static List<String> statements(Path script) {
    StringBuilder sql = new StringBuilder();
    for (String line : text(script).split("\n")) {
      if (!line.strip().startsWith("--")) {
        sql.append(line).append('\n');
      }
    }
    return Stream.of(sql.toString().split(";\\s*\n"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }

  /** {@code db.table} of every table the init scripts create. */
  static List<String> initTables() {
    List<String> tables = new ArrayList<>();
    for (Path script : initScripts()) {
      Matcher m = CREATE_TABLE.matcher(text(script));
      while (m.find()) {
        tables.add(m.group(1) + "." + m.group(2));
      }
    }
    return tables;
  }
}
