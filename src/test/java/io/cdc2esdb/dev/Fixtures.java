package io.cdc2esdb.dev;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The real Debezium records captured from MariaDB, bundled as test resources. */
final class Fixtures {

  static final String DIR = "/fixtures/debezium-mariadb-3.5/";

  private Fixtures() {}

  static Path path(String name) {
    URL url = Fixtures.class.getResource(DIR + name);
    if (url == null) {
      throw new IllegalArgumentException("no fixture " + DIR + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
