package io.wharf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The package map of docs/architecture.md, kept true: packages depend on each other without cycles, the building
 * blocks in {@code common} depend on no feature, and the dev-only start-up code is used by no product code.
 * Read from the sources, so a new import that breaks it fails here in seconds.
 */
@Tag("unit")
class PackageDependenciesTest {

    private static final Path SOURCES = Path.of("src/main/java");
    private static final Pattern REFERENCE = Pattern.compile("\\b(io\\.wharf(?:\\.[a-z][a-z0-9]*)*)\\.[A-Z]");

    @Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        List<String> cycles = new ArrayList<>();
        for (String from : deps.keySet()) {
            for (String to : deps.get(from)) {
                if (reaches(deps, to, from, new HashSet<>())) {
                    cycles.add(from + " -> " + to);
                }
            }
        }
        assertThat(deps).isNotEmpty();
        assertThat(cycles).as("dependencies that are part of a cycle").isEmpty();
    }

    @Test
    void commonDependsOnNoFeatureAndNothingUsesTheDevOnlyCode() throws IOException {
        Map<String, Set<String>> deps = dependencies();
        deps.forEach((from, to) -> {
            if (from.startsWith("io.wharf.common")) {
                assertThat(to).as(from).allMatch(p -> p.startsWith("io.wharf.common"));
            }
            if (!from.startsWith("io.wharf.devservices")) {
                assertThat(to).as(from).noneMatch(p -> p.startsWith("io.wharf.devservices") || p.startsWith("io.wharf.common.local"));
            }
        });
    }

    private static Map<String, Set<String>> dependencies() throws IOException {
        Map<String, Set<String>> deps = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file.getParent()).toString().replace(file.getFileSystem().getSeparator(), ".");
                Set<String> to = deps.computeIfAbsent(pkg, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    if (!m.group(1).equals(pkg)) {
                        to.add(m.group(1));
                    }
                }
            }
        }
        return deps;
    }

    private static boolean reaches(Map<String, Set<String>> deps, String from, String target, Set<String> seen) {
        for (String next : deps.getOrDefault(from, Set.of())) {
            if (next.equals(target) || (seen.add(next) && reaches(deps, next, target, seen))) {
                return true;
            }
        }
        return false;
    }
}
