package io.jcompose.runtime.image.build.dockerfile;

import java.util.Collection;
import java.util.Locale;
import java.util.TreeSet;

/**
 * BuildKit's "did you mean" hints: the option nearest to a mistyped word (Levenshtein distance
 * below 3), in the word's case when matching ignores case.
 */
final class Suggestions {
  private Suggestions() {}

  /** {@code " (did you mean X?)"}, or "" when nothing is close or the word is an option. */
  static String hint(String word, Collection<String> options, boolean caseSensitive) {
    String val = caseSensitive ? word : word.toLowerCase(Locale.ROOT);
    String match = null;
    int best = 3;
    for (String o : new TreeSet<>(options)) { // sorted: the same hint every time
      String opt = caseSensitive ? o : o.toLowerCase(Locale.ROOT);
      if (opt.equals(val)) {
        return "";
      }
      int d = distance(val, opt);
      if (d < best) {
        best = d;
        match = caseSensitive ? opt : matchCase(opt, word);
      }
    }
    return match == null ? "" : " (did you mean " + match + "?)";
  }

  private static String matchCase(String val, String orig) {
    if (orig.equals(orig.toLowerCase(Locale.ROOT))) {
      return val.toLowerCase(Locale.ROOT);
    }
    if (orig.equals(orig.toUpperCase(Locale.ROOT))) {
      return val.toUpperCase(Locale.ROOT);
    }
    return val;
  }

  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
