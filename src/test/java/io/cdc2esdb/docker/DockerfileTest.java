package io.cdc2esdb.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.app.Main;
import io.cdc2esdb.dev.app.PipelineBenchCommand;
import io.cdc2esdb.dev.bench.PipelineBenchmark;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * The Dockerfile, read instruction by instruction (no Dockerfile linter installs here): it builds
 * the way the READMEs say, copies the production jar, and runs {@code run --config} on the file it
 * copies, on the JVM options {@code bench pipeline} measures, with what it copies let through by
 * its ignore file.
 */
class DockerfileTest {

  private final List<Instruction> instructions =
      Instruction.parse(DockerStack.text(DockerStack.DOCKERFILE));

  @Test
  void shouldBuildWithMavenInOneStageAndRunOnAJreInTheNext() {
    List<String> from = args("FROM");

    assertThat(from).hasSize(2);
    assertThat(from.get(0)).startsWith("maven:3.9-eclipse-temurin-17 ").endsWith(" AS build");
    assertThat(from.get(1)).startsWith("eclipse-temurin:17-jre");
  }

  @Test
  void shouldBuildWithTheReadmesCommand() {
    String build =
        args("RUN").stream().filter(r -> r.contains(" package")).findFirst().orElseThrow();

    assertThat(build).isEqualTo("mvn -B -q package -DskipTests");
    assertThat(DockerStack.text(Path.of("README.md"))).contains(build);
    assertThat(DockerStack.text(DockerStack.README)).contains("`" + build + "`");
  }

  @Test
  void shouldCopyTheProductionJarTheBuildProduces() {
    String pom = DockerStack.text(Path.of("pom.xml"));
    String production = pom.substring(pom.indexOf("<id>production-jar</id>"));

    assertThat(args("COPY"))
        .contains("--from=build /src/target/cdc2esdb.jar /opt/cdc2esdb/cdc2esdb.jar");
    assertThat(production.substring(0, production.indexOf("</outputFile>")))
        .endsWith("<outputFile>${project.build.directory}/cdc2esdb.jar");
  }

  @Test
  void shouldRunTheProductionCommandOnTheConfigurationFileItCopies() throws IOException {
    List<String> command = new ArrayList<>(json("ENTRYPOINT"));
    command.addAll(json("CMD"));
    String copiedConfig = "/etc/cdc2esdb/cdc2esdb.properties";

    assertThat(args("COPY")).contains("docker/cdc2esdb.properties " + copiedConfig);
    assertThat(command)
        .containsExactly(
            "java", "-jar", "/opt/cdc2esdb/cdc2esdb.jar", "run", "--config", copiedConfig);
    ParseResult parsed =
        Main.commandLine().parseArgs(command.subList(3, command.size()).toArray(String[]::new));
    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("run");
    assertThat(DockerStack.text(DockerStack.README))
        .contains("\n" + String.join(" ", command) + "\n");
  }

  @Test
  void shouldRunTheJvmOptionsTheBenchmarkMeasuresByDefault() {
    String prefix = "JAVA_TOOL_OPTIONS=";
    String env = args("ENV").stream().filter(e -> e.startsWith(prefix)).findFirst().orElseThrow();
    List<String> options =
        List.of(env.substring(prefix.length()).replace("\"", "").strip().split("\\s+"));
    String benchDefault =
        new CommandLine(new PipelineBenchCommand())
            .getCommandSpec()
            .findOption("--cdc-jvm")
            .defaultValue();

    assertThat(options).contains("-XX:+UseParallelGC");
    assertThat(PipelineBenchmark.Options.defaults().cdcJvmOptions()).containsAll(options);
    assertThat(List.of(benchDefault.split(" "))).containsAll(options);
  }

  @Test
  void shouldKeepTheStateDirectoryInTheImagesVolume() {
    String stateDir = DockerStack.properties().getProperty("state.dir");

    assertThat(args("VOLUME")).containsExactly(stateDir);
    assertThat(args("RUN").get(args("RUN").size() - 1)).contains("chown cdc2esdb " + stateDir);
    assertThat(args("USER")).containsExactly("cdc2esdb");
  }

  @Test
  void shouldBeBuiltByComposeAndTheReadmeFromTheRepositoryWithTheSameFile() {
    JsonNode build = DockerStack.load().service("cdc2esdb").get("build");
    String command = "docker build -f docker/Dockerfile -t cdc2esdb:local .";

    assertThat(build.get("context").asText()).isEqualTo("..");
    assertThat(build.get("dockerfile").asText()).isEqualTo("docker/Dockerfile");
    assertThat(DockerStack.load().service("cdc2esdb").get("image").asText())
        .isEqualTo("cdc2esdb:local");
    assertThat(DockerStack.text(DockerStack.README)).contains(command);
    assertThat(DockerStack.text(DockerStack.DOCKERFILE)).contains("#   " + command + "\n");
  }

  @Test
  void shouldLetThroughTheIgnoreFileEverythingItCopiesFromTheContext() {
    List<String> allowed =
        DockerStack.text(DockerStack.DOCKERIGNORE)
            .lines()
            .filter(l -> l.startsWith("!"))
            .map(l -> l.substring(1).replaceAll("/$", ""))
            .toList();
    List<String> sources = new ArrayList<>();
    for (String copy : args("COPY")) {
      if (!copy.startsWith("--from=")) {
        String[] parts = copy.split("\\s+");
        for (int i = 0; i < parts.length - 1; i++) {
          sources.add(parts[i].replaceAll("^\\./", "").replaceAll("/$", ""));
        }
      }
    }

    assertThat(DockerStack.text(DockerStack.DOCKERIGNORE).lines()).contains("*");
    assertThat(sources).containsExactlyInAnyOrder("pom.xml", "src", "docker/cdc2esdb.properties");
    assertThat(allowed).containsAll(sources);
  }

  private List<String> args(String keyword) {
    return instructions.stream()
        .filter(i -> i.keyword().equals(keyword))
        .map(Instruction::args)
        .toList();
  }

  private List<String> json(String keyword) throws IOException {
    List<String> values = new ArrayList<>();
    for (JsonNode value : Json.MAPPER.readTree(args(keyword).get(0))) {
      values.add(value.asText());
    }
    return values;
  }

  /** One instruction, its continuation lines joined, comments dropped. */
  record Instruction(String keyword, String args) {
    static List<Instruction> parse(String dockerfile) {
      List<Instruction> parsed = new ArrayList<>();
      StringBuilder current = new StringBuilder();
      for (String line : dockerfile.split("\n")) {
        String stripped = line.strip();
        if (stripped.startsWith("#") || (stripped.isEmpty() && current.length() == 0)) {
          continue;
        }
        if (stripped.endsWith("\\")) {
          current.append(stripped, 0, stripped.length() - 1).append(' ');
          continue;
        }
        current.append(stripped);
        String text = current.toString().replaceAll("\\s+", " ").strip();
        current.setLength(0);
        if (!text.isEmpty()) {
          int space = text.indexOf(' ');
          parsed.add(new Instruction(text.substring(0, space), text.substring(space + 1)));
        }
      }
      return parsed;
    }
  }
}
