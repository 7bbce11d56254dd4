package io.cdc2esdb.dev;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the MariaDB server programs are. Debian puts {@code mariadbd} in /usr/sbin, which is not on
 * every user's PATH, so the usual directories are searched after PATH. A MariaDB installed
 * elsewhere (e.g. unpacked from a tarball) is found through the system property {@value
 * #SEARCH_PATH_PROPERTY}: a list of directories searched instead.
 */
public record MariaDbBinaries(Path mariadbd, Path installDb) {

  public static final String SEARCH_PATH_PROPERTY = "cdc2esdb.mariadb.path";

  static final String SERVER = "mariadbd";
  static final String INSTALL_DB = "mariadb-install-db";

  /**
   * @throws MariaDbNotInstalledException naming what is missing and how to install it
   */
  public static MariaDbBinaries locate() {
    return locate(defaultSearchPath());
  }

  static MariaDbBinaries locate(List<Path> searchPath) {
    Path server = find(SERVER, searchPath);
    Path installDb = find(INSTALL_DB, searchPath);
    if (server == null || installDb == null) {
      List<String> missing = new ArrayList<>();
      if (server == null) {
        missing.add(SERVER);
      }
      if (installDb == null) {
        missing.add(INSTALL_DB);
      }
      throw new MariaDbNotInstalledException(
          missing, searchPath.stream().map(Path::toString).toList());
    }
    return new MariaDbBinaries(server, installDb);
  }

  /** True when the server programs are here; for callers that choose rather than fail. */
  public static boolean installed() {
    try {
      locate();
      return true;
    } catch (MariaDbNotInstalledException e) {
      return false;
    }
  }

  static List<Path> defaultSearchPath() {
    String override = System.getProperty(SEARCH_PATH_PROPERTY);
    if (override != null) {
      return directories(override);
    }
    Set<Path> dirs = new LinkedHashSet<>(directories(System.getenv("PATH")));
    dirs.add(Path.of("/usr/sbin"));
    dirs.add(Path.of("/usr/bin"));
    return List.copyOf(dirs);
  }

  private static List<Path> directories(String pathList) {
    if (pathList == null) {
      return List.of();
    }
    return Arrays.stream(pathList.split(File.pathSeparator))
        .filter(dir -> !dir.isBlank())
        .map(Path::of)
        .toList();
  }

  private static Path find(String program, List<Path> searchPath) {
    for (Path dir : searchPath) {
      Path candidate = dir.resolve(program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
