package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MariaDbBinariesTest {

  @TempDir Path empty;
  @TempDir Path bin;

  @Test
  void shouldSayInOneLineHowToInstallMariaDbWhenItIsMissing() {
    MariaDbNotInstalledException e =
        catchThrowableOfType(
            MariaDbNotInstalledException.class, () -> MariaDbBinaries.locate(List.of(empty)));

    assertThat(e.getMessage())
        .isEqualTo(
            "MariaDB is not installed (mariadbd and mariadb-install-db not found in "
                + empty
                + "); install it with: apt-get install -y --no-install-recommends"
                + " mariadb-server mariadb-client")
        .doesNotContain("\n");
    assertThat(e.missing()).containsExactly("mariadbd", "mariadb-install-db");
  }

  @Test
  void shouldNameOnlyTheProgramThatIsMissing() throws IOException {
    executable(bin.resolve("mariadb-install-db"));

    MariaDbNotInstalledException e =
        catchThrowableOfType(
            MariaDbNotInstalledException.class, () -> MariaDbBinaries.locate(List.of(empty, bin)));

    assertThat(e.missing()).containsExactly("mariadbd");
  }

  @Test
  void shouldFindTheProgramsInTheFirstDirectoryThatHasThem() throws IOException {
    executable(bin.resolve("mariadbd"));
    executable(bin.resolve("mariadb-install-db"));
    Files.createFile(empty.resolve("mariadbd")); // not executable: skipped

    MariaDbBinaries found = MariaDbBinaries.locate(List.of(empty, bin));

    assertThat(found.mariadbd()).isEqualTo(bin.resolve("mariadbd"));
    assertThat(found.installDb()).isEqualTo(bin.resolve("mariadb-install-db"));
  }

  @Test
  void shouldSearchThePathThenTheDebianDirectories() {
    assertThat(MariaDbBinaries.defaultSearchPath())
        .contains(Path.of("/usr/sbin"), Path.of("/usr/bin"));
  }

  @Test
  void shouldSearchOnlyTheDirectoriesNamedByTheSystemProperty() {
    String before = System.getProperty(MariaDbBinaries.SEARCH_PATH_PROPERTY);
    System.setProperty(MariaDbBinaries.SEARCH_PATH_PROPERTY, empty + ":" + bin);
    try {
      assertThat(MariaDbBinaries.defaultSearchPath()).containsExactly(empty, bin);
    } finally {
      if (before == null) {
        System.clearProperty(MariaDbBinaries.SEARCH_PATH_PROPERTY);
      } else {
        System.setProperty(MariaDbBinaries.SEARCH_PATH_PROPERTY, before);
      }
    }
  }

  private static void executable(Path file) throws IOException {
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
  }
}
