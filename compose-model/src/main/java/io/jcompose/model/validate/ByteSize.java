package io.jcompose.model.validate;

import java.util.Locale;

/** Byte sizes as Compose reads them (docker/go-units RAMInBytes: 1024-based, b/k/m/g/t/p, optional b suffix). */
public final class ByteSize {
  private ByteSize() {}

  /**
   * Parses a size.
   *
   * @throws IllegalArgumentException when the text is not a size
   */
  public static long parse(String text) {
    String s = text.strip().toLowerCase(Locale.ROOT);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)?) ?([kmgtp])?(i?b)?$").matcher(s);
    if (!m.matches()) {
      throw new IllegalArgumentException(text);
    }
    double v = Double.parseDouble(m.group(1));
    String unit = m.group(2);
    long mult = 1;
    if (unit != null) {
      mult =
          switch (unit) {
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            case "t" -> 1L << 40;
            default -> 1L << 50;
          };
    }
    return (long) (v * mult);
  }
}
