package io.jcompose.model.oracle;

import java.util.ArrayList;
import java.util.List;

/** A small line diff (LCS) so a failing oracle case shows only what differs. */
final class LineDiff {
  private LineDiff() {}

  static String diff(String expected, String actual) {
    String[] a = expected.split("\n", -1);
    String[] b = actual.split("\n", -1);
    int[][] lcs = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        i++;
        j++;
      } else if (j < b.length && (i == a.length || lcs[i][j + 1] >= lcs[i + 1][j])) {
        out.add("+ours   " + (j + 1) + ": " + b[j++]);
      } else {
        out.add("-oracle " + (i + 1) + ": " + a[i++]);
      }
    }
    return String.join("\n", out);
  }
}
