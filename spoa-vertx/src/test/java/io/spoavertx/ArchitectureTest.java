package io.spoavertx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The library's shape, checked on its sources and classes: what the module exports, that its
 * packages do not depend on each other in a circle, where Vert.x internals are used, and that no
 * source file grows past a size one can read in a sitting.
 */
class ArchitectureTest {

  private static final Path SOURCES = Path.of("src/main/java");
  private static final Path CLASSES = Path.of("target/classes");

  /** The public API; everything else stays inside the module. */
  private static final Set<String> API = Set.of("io.spoavertx.agent", "io.spoavertx.config", "io.spoavertx.handler",
      "io.spoavertx.launcher", "io.spoavertx.metrics");

  @Test
  void theModuleExportsTheApiPackagesOnlyAndResolves() {
    ModuleReference module = ModuleFinder.of(CLASSES).findAll().iterator().next();
    ModuleDescriptor d = module.descriptor();
    assertEquals("io.spoavertx", d.name());
    Set<String> exported = d.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertEquals(API, exported);
    assertTrue(d.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
    assertTrue(d.packages().size() > API.size(), "internal packages exist: " + d.packages());
    // resolves against the jars it runs with (the optional ones need not be there)
    List<Path> path = new ArrayList<>(List.of(CLASSES));
    for (String jar : jars().split(java.io.File.pathSeparator)) {
      path.add(Path.of(jar));
    }
    Configuration resolved = ModuleLayer.boot().configuration()
        .resolve(ModuleFinder.of(path.toArray(Path[]::new)), ModuleFinder.of(), Set.of("io.spoavertx"));
    assertTrue(resolved.findModule("io.vertx.core").isPresent());
  }

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    Map<String, Set<String>> deps = packageDependencies();
    assertTrue(deps.size() >= 8, "packages read: " + deps.keySet());
    List<List<String>> cycles = new ArrayList<>();
    for (String p : deps.keySet()) {
      List<String> cycle = cycleFrom(p, deps);
      if (cycle != null) {
        cycles.add(cycle);
      }
    }
    assertEquals(List.of(), cycles, "package cycles; dependencies: " + deps);
  }

  @Test
  void vertxInternalsAreUsedInThreeFilesAtMostAndItsImplNowhere() throws IOException {
    Map<Path, String> sources = sources();
    List<String> internal = new ArrayList<>();
    List<String> impl = new ArrayList<>();
    for (Map.Entry<Path, String> e : sources.entrySet()) {
      if (e.getValue().contains("import io.vertx.core.internal.")) {
        internal.add(e.getKey().getFileName().toString());
      }
      if (e.getValue().matches("(?s).*import io\\.vertx\\.core\\.(impl|[a-z]+\\.impl)\\..*")) {
        impl.add(e.getKey().getFileName().toString());
      }
    }
    assertTrue(internal.size() <= 3, "files importing io.vertx.core.internal: " + internal);
    assertEquals(List.of(), impl, "files importing Vert.x impl packages");
  }

  @Test
  void noSourceFileIsLongerThan600Lines() throws IOException {
    Map<String, Integer> tooLong = new TreeMap<>();
    for (Map.Entry<Path, String> e : sources().entrySet()) {
      int lines = e.getValue().split("\n", -1).length;
      if (lines > 600) {
        tooLong.put(e.getKey().toString(), lines);
      }
    }
    assertEquals(Map.of(), tooLong);
  }

  private static Map<Path, String> sources() throws IOException {
    Map<Path, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SOURCES)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        out.put(SOURCES.relativize(f), Files.readString(f));
      }
    }
    assertTrue(out.size() > 40, "sources read: " + out.size());
    return out;
  }

  /** Package to the packages it uses, within the library, from jdeps on the compiled classes. */
  private static Map<String, Set<String>> packageDependencies() {
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(err), "--multi-release", "17", "--module-path", jars(),
        "-verbose:package", "-filter:none", "-e", "io\\.spoavertx.*", CLASSES.toString());
    assertEquals(0, rc, out + "\n" + err);
    Map<String, Set<String>> deps = new HashMap<>();
    for (String line : out.toString().split("\n")) {
      String[] f = line.trim().split("\\s+");
      if (f.length >= 3 && f[1].equals("->") && f[0].startsWith("io.spoavertx") && f[2].startsWith("io.spoavertx")) {
        deps.computeIfAbsent(f[0], k -> new TreeSet<>());
        if (!f[0].equals(f[2])) {
          deps.get(f[0]).add(f[2]);
        }
      }
    }
    return deps;
  }

  /** The jars of the test's class path, as a module path. */
  private static String jars() {
    return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(e -> e.endsWith(".jar")).collect(Collectors.joining(java.io.File.pathSeparator));
  }

  /** A path from {@code start} back to itself, or null. */
  private static List<String> cycleFrom(String start, Map<String, Set<String>> deps) {
    List<String> path = new ArrayList<>();
    path.add(start);
    return search(start, start, deps, path, new TreeSet<>());
  }

  private static List<String> search(String start, String at, Map<String, Set<String>> deps, List<String> path,
                                     Set<String> seen) {
    for (String next : deps.getOrDefault(at, Set.of())) {
      if (next.equals(start)) {
        List<String> cycle = new ArrayList<>(path);
        cycle.add(start);
        return cycle;
      }
      if (seen.add(next)) {
        path.add(next);
        List<String> found = search(start, next, deps, path, seen);
        if (found != null) {
          return found;
        }
        path.remove(path.size() - 1);
      }
    }
    return null;
  }
}
