package io.jcompose.runtime.network.nft;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table {@code inet jcompose} that every engine shared before per-engine tables
 * ({@code inet jcompose-<tag>}). An upgraded engine takes out of it the rules that name its own
 * former bridges (their DNAT would otherwise keep sending its published ports to old addresses),
 * and removes the table only when none of its remaining rules names a link that exists: such a
 * link is a bridge of an older engine still running on another data root, whose isolation, NAT
 * and published ports live in that table. An older engine whose rules are not in it (each one
 * rewrote the whole table) loses nothing, and writes it again at its next change.
 *
 * <p>Everything is deleted by handle, in one {@code nft -f} transaction: if an older engine
 * rewrote the table between our look and our change, the handles are gone, nft refuses the
 * batch, and its fresh table stays as it is.
 */
public final class LegacyTable {
    /** The shared table's name (family {@code inet}). */
    public static final String NAME = "jcompose";

    private static final Pattern TABLE = Pattern.compile("^table inet " + NAME + " \\{ # handle (\\d+)");
    private static final Pattern CHAIN = Pattern.compile("^\\s*chain (\\S+) \\{ # handle \\d+");
    private static final Pattern RULE = Pattern.compile("^\\s*(.*\\S) # handle (\\d+)$");
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]+)\"");

    private final String binary;

    /** @param binary the {@code nft} executable */
    public LegacyTable(String binary) {
        this.binary = binary;
    }

    /** What was done. */
    public enum Outcome { ABSENT, TABLE_REMOVED, RULES_REMOVED, KEPT }

    /** One rule of the listing: its chain, handle and the interface names it mentions. */
    record Rule(String chain, long handle, Set<String> names) {}

    /** The table as listed with handles. */
    record Listing(long handle, List<Rule> rules) {}

    /**
     * Removes from the old table the rules naming {@code ourOldBridges}, and the whole table when
     * what remains names no link for which {@code linkExists} holds.
     */
    public Outcome release(Set<String> ourOldBridges, Predicate<String> linkExists) {
        String text = list();
        if (text == null) return Outcome.ABSENT;
        Listing l = parse(text);
        if (l == null) return Outcome.KEPT; // not a listing we understand: leave it be
        List<Rule> ours = new ArrayList<>(), others = new ArrayList<>();
        for (Rule r : l.rules()) (r.names().stream().anyMatch(ourOldBridges::contains) ? ours : others).add(r);
        boolean stillUsed = others.stream().flatMap(r -> r.names().stream()).anyMatch(linkExists);
        StringBuilder batch = new StringBuilder();
        if (stillUsed) {
            if (ours.isEmpty()) return Outcome.KEPT;
            for (Rule r : ours) batch.append("delete rule inet ").append(NAME).append(' ').append(r.chain()).append(" handle ").append(r.handle()).append('\n');
        } else {
            batch.append("delete table inet handle ").append(l.handle()).append('\n');
        }
        try {
            new Nft(binary, NAME).apply(batch.toString());
        } catch (IllegalStateException e) {
            // rewritten by an older engine meanwhile (handles gone): its table, as it is now
            return Outcome.KEPT;
        }
        return stillUsed ? Outcome.RULES_REMOVED : Outcome.TABLE_REMOVED;
    }

    /** {@code nft -a list table inet jcompose}, or null when there is no such table (or no nft). */
    private String list() {
        try {
            Process p = new ProcessBuilder(binary, "-a", "list", "table", "inet", NAME).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null; // no nft: no table either
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The listing's table handle and rules; null when its first line is not the table's. */
    static Listing parse(String text) {
        List<String> lines = text.lines().toList();
        if (lines.isEmpty()) return null;
        Matcher t = TABLE.matcher(lines.getFirst());
        if (!t.find()) return null;
        List<Rule> rules = new ArrayList<>();
        String chain = null;
        for (String line : lines.subList(1, lines.size())) {
            Matcher c = CHAIN.matcher(line);
            if (c.find()) {
                chain = c.group(1);
                continue;
            }
            Matcher r = RULE.matcher(line);
            if (chain == null || !r.find() || r.group(1).endsWith("{")) continue; // type/policy lines, braces, sets
            Set<String> names = new LinkedHashSet<>();
            Matcher q = QUOTED.matcher(r.group(1));
            while (q.find()) names.add(q.group(1));
            rules.add(new Rule(chain, Long.parseLong(r.group(2)), names));
        }
        return new Listing(Long.parseLong(t.group(1)), rules);
    }
}
