package io.jcompose.cli.command;

import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code text/tabwriter} as compose's tables use it: a line is tab-terminated cells plus a
 * trailing text; a terminated cell is padded to its column's width (the widest cell of the run of
 * lines that have that column, plus the padding, at least the minimum width), the trailing text
 * is not. So {@code "NAME\tCMD"} leaves {@code CMD} unpadded while {@code "x\tsleep 1\t"} pads it.
 *
 * @param minWidth the smallest column width ({@code 5} for {@code top}, {@code 20} for {@code images})
 * @param padding spaces added to the widest cell
 */
record TabWriter(int minWidth, int padding) {
    /**
     * Formats lines written as Go code writes them to the tabwriter (cells separated by tabs).
     *
     * @param lines the lines without line breaks
     * @return the aligned text, each line ending in a line break
     */
    String format(List<String> lines) {
        List<List<String>> cells = new ArrayList<>();
        List<String> trailing = new ArrayList<>();
        for (String line : lines) {
            String[] parts = line.split("\t", -1);
            cells.add(List.of(parts).subList(0, parts.length - 1));
            trailing.add(parts[parts.length - 1]);
        }
        int[][] width = new int[lines.size()][];
        for (int i = 0; i < lines.size(); i++) {
            width[i] = new int[cells.get(i).size()];
        }
        int columns = cells.stream().mapToInt(List::size).max().orElse(0);
        for (int c = 0; c < columns; c++) {
            int i = 0;
            while (i < lines.size()) {
                if (cells.get(i).size() <= c) {
                    i++;
                    continue;
                }
                int start = i;
                int w = minWidth;
                while (i < lines.size() && cells.get(i).size() > c) {
                    w = Math.max(w, length(cells.get(i).get(c)) + padding);
                    i++;
                }
                for (int j = start; j < i; j++) {
                    width[j][c] = w;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            for (int c = 0; c < cells.get(i).size(); c++) {
                String cell = cells.get(i).get(c);
                out.append(cell).append(" ".repeat(width[i][c] - length(cell)));
            }
            out.append(trailing.get(i)).append('\n');
        }
        return out.toString();
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }
}
