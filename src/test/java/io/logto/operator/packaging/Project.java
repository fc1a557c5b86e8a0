package io.logto.operator.packaging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Files of the repository as the packaging tests see them, and YAML reading. */
public final class Project {

  public static final Path ROOT = findRoot();
  public static final YAMLMapper YAML = new YAMLMapper();

  /** The five kinds, by CRD plural, in the order the docs list them. */
  static final List<String> PLURALS = List.of("logtoapiresources", "logtoroles", "logtom2mapps",
      "logtoconnections", "clusterlogtoconnections");

  static final String GROUP = "m2m.logto.io";

  private Project() {}

  public static Path path(String relative) {
    return ROOT.resolve(relative);
  }

  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String read(String relative) {
    return read(path(relative));
  }

  /** Every non-empty document of a (multi-document) YAML text. */
  public static List<JsonNode> yamlDocuments(String yaml) {
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode document = it.next();
        if (document != null && !document.isNull() && !document.isMissingNode()
            && !document.isEmpty()) {
          documents.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  public static List<Path> list(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(suffix))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path findRoot() {
    Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("pom.xml")) && Files.isDirectory(d.resolve("src"))) {
        return d;
      }
    }
    throw new IllegalStateException("no pom.xml above " + dir);
  }
}
