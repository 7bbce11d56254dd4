package io.cdc2esdb.dev;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Tests that need a real MariaDB server: skipped with the install hint on a developer's machine
 * without it, failed in CI ({@code CI=true}), where a skip would hide that nothing was tested.
 */
final class MariaDbRequirement {

  private MariaDbRequirement() {}

  static void assumeInstalled() {
    try {
      MariaDbBinaries.locate();
    } catch (MariaDbNotInstalledException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail("CI=true and " + e.getMessage());
      }
      Assumptions.abort(e.getMessage());
    }
  }
}
