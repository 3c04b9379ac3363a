package io.jcompose.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves Docker's {@code user} string in the container's own {@code /etc/passwd} and
 * {@code /etc/group}, as moby's {@code getUser} does (via moby/sys/user).
 */
public final class UserResolver {

    /** uid, primary gid, and the additional gids (primary + supplementary + group_add). */
    public record ResolvedUser(long uid, long gid, List<Long> additionalGids) {}

    private record PasswdEntry(String name, long uid, long gid) {}

    private record GroupEntry(String name, long gid, List<String> members) {}

    private UserResolver() {}

    /**
     * @param rootfs   the container's root filesystem (mounted), where /etc/passwd and /etc/group are read
     * @param user     {@code ""}/null (root), {@code name}, {@code uid}, {@code name:group}, {@code uid:gid}
     * @param groupAdd extra groups by name or number
     * @throws IllegalArgumentException with Docker's wording when a name is unknown
     */
    public static ResolvedUser resolve(Path rootfs, String user, List<String> groupAdd) throws IOException {
        List<PasswdEntry> passwd = readPasswd(rootfs.resolve("etc/passwd"));
        List<GroupEntry> groups = readGroup(rootfs.resolve("etc/group"));
        String u = user == null || user.isEmpty() ? "0" : user;
        String userPart = u, groupPart = null;
        int colon = u.indexOf(':');
        if (colon >= 0) {
            userPart = u.substring(0, colon);
            groupPart = u.substring(colon + 1);
        }
        PasswdEntry pw = null;
        long uid, gid;
        if (isNumber(userPart)) {
            uid = Long.parseLong(userPart);
            for (PasswdEntry e : passwd) if (e.uid == uid) { pw = e; break; }
            gid = pw != null ? pw.gid : 0;
        } else {
            for (PasswdEntry e : passwd) if (e.name.equals(userPart)) { pw = e; break; }
            if (pw == null) throw new IllegalArgumentException("unable to find user " + userPart + ": no matching entries in passwd file");
            uid = pw.uid;
            gid = pw.gid;
        }
        if (groupPart != null && !groupPart.isEmpty()) gid = groupId(groups, groupPart);
        Set<Long> extra = new LinkedHashSet<>();
        extra.add(gid);
        // supplementary groups only when the user is known by name in passwd and no group was forced
        if (pw != null && groupPart == null) {
            for (GroupEntry g : groups) if (g.members.contains(pw.name)) extra.add(g.gid);
        }
        for (String g : groupAdd == null ? List.<String>of() : groupAdd) extra.add(groupId(groups, g));
        return new ResolvedUser(uid, gid, List.copyOf(extra));
    }

    private static long groupId(List<GroupEntry> groups, String name) {
        if (isNumber(name)) return Long.parseLong(name);
        for (GroupEntry g : groups) if (g.name.equals(name)) return g.gid;
        throw new IllegalArgumentException("unable to find group " + name + ": no matching entries in group file");
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
    }

    private static List<String> lines(Path file) throws IOException {
        // the files belong to the image: never follow a symlink out of the root
        if (Files.isSymbolicLink(file)) return List.of();
        try {
            return Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            return List.of();
        }
    }

    private static List<PasswdEntry> readPasswd(Path file) throws IOException {
        List<PasswdEntry> out = new ArrayList<>();
        for (String line : lines(file)) {
            String[] f = line.split(":", -1);
            if (f.length < 4 || line.startsWith("#") || !isNumber(f[2]) || !isNumber(f[3])) continue;
            out.add(new PasswdEntry(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])));
        }
        return out;
    }

    private static List<GroupEntry> readGroup(Path file) throws IOException {
        List<GroupEntry> out = new ArrayList<>();
        for (String line : lines(file)) {
            String[] f = line.split(":", -1);
            if (f.length < 3 || line.startsWith("#") || !isNumber(f[2])) continue;
            List<String> members = f.length > 3 && !f[3].isEmpty() ? List.of(f[3].split(",")) : List.of();
            out.add(new GroupEntry(f[0], Long.parseLong(f[2]), members));
        }
        return out;
    }
}
