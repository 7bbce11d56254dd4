package io.cdc2esdb.dev;

/** A capture file that cannot be read as records; says where, so the user can fix the file. */
public final class CaptureFormatException extends IllegalArgumentException {

  private final String source;
  private final String location;

  public CaptureFormatException(String source, String location, String problem) {
    super(source + ", " + location + ": " + problem);
    this.source = source;
    this.location = location;
  }

  /** The file or resource that was read. */
  public String source() {
    return source;
  }

  /** "line N" (JSON Lines) or "element N" (JSON array). */
  public String location() {
    return location;
  }
}
