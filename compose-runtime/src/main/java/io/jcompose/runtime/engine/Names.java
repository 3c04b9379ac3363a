package io.jcompose.runtime.engine;

import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/** Container names: Docker's rule for given names and its {@code adjective_surname} style for generated ones. */
final class Names {

    /** moby {@code daemon/names}: {@code [a-zA-Z0-9][a-zA-Z0-9_.-]+}. */
    static final Pattern VALID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");

    private static final List<String> LEFT = List.of("admiring", "brave", "clever", "dazzling", "eager", "festive", "gallant", "happy",
            "jolly", "keen", "lucid", "modest", "nifty", "optimistic", "peaceful", "quirky", "relaxed", "serene", "tender", "upbeat",
            "vibrant", "wizardly", "youthful", "zealous");
    private static final List<String> RIGHT = List.of("archimedes", "babbage", "curie", "darwin", "euler", "feynman", "galileo", "hopper",
            "hypatia", "johnson", "kepler", "lovelace", "meitner", "newton", "noether", "pascal", "ritchie", "shannon", "turing", "volta",
            "wozniak", "yalow", "zuse");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Names() {}

    static String generate() {
        return LEFT.get(RANDOM.nextInt(LEFT.size())) + "_" + RIGHT.get(RANDOM.nextInt(RIGHT.size()));
    }

    /** Strips Docker's leading slash. */
    static String plain(String name) {
        return name.startsWith("/") ? name.substring(1) : name;
    }
}
