package dev.freshet.engine.deps.lockfile;

import dev.freshet.engine.deps.version.Ecosystem;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * pom.xml: not a lockfile, but its {@code <dependencies>} pin versions. Read as Trivy reads a
 * project without network access: direct dependencies in compile or runtime scope (test, provided,
 * system and optional ones are not part of what ships), named {@code groupId:artifactId}, versions
 * from the dependency or from {@code <dependencyManagement>}, {@code ${properties}} resolved from the
 * POM and from parents found on disk through {@code <relativePath>}. Transitive dependencies and
 * imported BOMs live in a repository, so they are not read; a version range is not a pin and is skipped.
 */
final class MavenPom {
    private static final int MAX_NESTING = 100;
    private static final int MAX_PARENTS = 10;
    private static final long MAX_PARENT_BYTES = 16L * 1024 * 1024;
    private static final Pattern PROPERTY = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern EXACT_RANGE = Pattern.compile("\\[\\s*([^,\\[\\]()\\s]+)\\s*]");
    private static final Set<String> SHIPPED_SCOPES = Set.of("", "compile", "runtime");

    /** An XML element with the line its start tag ends on. */
    private record Element(String name, int line, StringBuilder text, List<Element> children) {
        Element child(String childName) {
            return children.stream().filter(c -> c.name.equals(childName)).findFirst().orElse(null);
        }

        List<Element> all(String path) {
            List<Element> found = List.of(this);
            for (String step : path.split("/")) {
                found = found.stream().flatMap(e -> e.children.stream()).filter(c -> c.name.equals(step)).toList();
            }
            return found;
        }

        /** The child's text, stripped, or null when there is no such child. */
        String text(String childName) {
            Element c = child(childName);
            return c == null ? null : c.text.toString().strip();
        }
    }

    private MavenPom() {
    }

    static void parse(Found out, String text) throws LockfileException {
        Element project = read(out.file(), text);
        if (!project.name.equals("project")) {
            throw out.error(project.line, "not a Maven POM: the root element is <" + project.name + ">, not <project>");
        }
        List<Element> lineage = lineage(out.file(), project);
        Map<String, String> properties = properties(project, lineage);
        Map<String, Element> managed = new HashMap<>();
        for (Element pom : lineage) { // the POM's own management wins over its parents'
            for (Element dep : pom.all("dependencyManagement/dependencies/dependency")) {
                managed.putIfAbsent(resolve(dep.text("groupId"), properties) + ":" + resolve(dep.text("artifactId"), properties), dep);
            }
        }
        for (Element dep : project.all("dependencies/dependency")) {
            String groupId = resolve(dep.text("groupId"), properties), artifactId = resolve(dep.text("artifactId"), properties);
            if (groupId == null || groupId.isEmpty() || artifactId == null || artifactId.isEmpty()) {
                throw out.error(dep.line, "<dependency> without a groupId and an artifactId");
            }
            Element management = managed.get(groupId + ":" + artifactId);
            String version = resolve(orManaged(dep, management, "version"), properties);
            String scope = resolve(orManaged(dep, management, "scope"), properties);
            String optional = resolve(orManaged(dep, management, "optional"), properties);
            if (!SHIPPED_SCOPES.contains(scope == null ? "" : scope) || "true".equals(optional)) continue;
            if (unresolved(groupId) || unresolved(artifactId) || version == null || unresolved(version)) continue;
            if (version.startsWith("[") || version.startsWith("(")) {
                Matcher exact = EXACT_RANGE.matcher(version);
                if (!exact.matches()) continue; // a range is not a pin
                version = exact.group(1);
            }
            out.add(Ecosystem.MAVEN, groupId + ":" + artifactId, version, dep.line);
        }
    }

    private static String orManaged(Element dep, Element management, String field) {
        String own = dep.text(field);
        return own != null || management == null ? own : management.text(field);
    }

    private static boolean unresolved(String value) {
        return value.contains("${");
    }

    /** The POM followed by its parents that are on disk, nearest first. */
    private static List<Element> lineage(Path file, Element project) {
        List<Element> lineage = new ArrayList<>(List.of(project));
        Set<Path> seen = new HashSet<>(Set.of(file.toAbsolutePath().normalize()));
        Path current = file.toAbsolutePath().normalize();
        Element pom = project;
        while (lineage.size() <= MAX_PARENTS) {
            Element reference = pom.child("parent");
            if (reference == null) break;
            String relativePath = reference.text("relativePath");
            if (relativePath != null && relativePath.isEmpty()) break; // empty means "look only in repositories"
            Path candidate = current.getParent().resolve(relativePath == null ? "../pom.xml" : relativePath).normalize();
            if (Files.isDirectory(candidate)) candidate = candidate.resolve("pom.xml");
            if (!seen.add(candidate)) break;
            Element parent = readParent(candidate);
            // Maven only takes the POM at relativePath when it is the parent the reference names.
            if (parent == null || !coordinatesMatch(reference, parent)) break;
            lineage.add(parent);
            pom = parent;
            current = candidate;
        }
        return lineage;
    }

    /** A parent POM, or null when it is missing or unusable (it is reported when scanned itself). */
    private static Element readParent(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_PARENT_BYTES) return null;
            Element parent = read(file, Files.readString(file));
            return parent.name.equals("project") ? parent : null;
        } catch (IOException | LockfileException | RuntimeException e) {
            return null;
        }
    }

    private static boolean coordinatesMatch(Element reference, Element parent) {
        String groupId = parent.text("groupId") != null ? parent.text("groupId")
                : parent.child("parent") == null ? null : parent.child("parent").text("groupId");
        return reference.text("artifactId") != null && reference.text("artifactId").equals(parent.text("artifactId"))
                && (reference.text("groupId") == null || reference.text("groupId").equals(groupId));
    }

    /** Properties as Maven interpolates the effective model: parents' first, the POM's own over them, then project.*. */
    private static Map<String, String> properties(Element project, List<Element> lineage) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = lineage.size() - 1; i >= 0; i--) {
            Element props = lineage.get(i).child("properties");
            if (props != null) props.children.forEach(p -> properties.put(p.name, p.text.toString().strip()));
        }
        Element parent = project.child("parent");
        String parentGroupId = parent == null ? null : parent.text("groupId");
        String parentVersion = parent == null ? null : parent.text("version");
        putIfKnown(properties, "project.groupId", project.text("groupId") != null ? project.text("groupId") : parentGroupId);
        putIfKnown(properties, "project.artifactId", project.text("artifactId"));
        putIfKnown(properties, "project.version", project.text("version") != null ? project.text("version") : parentVersion);
        putIfKnown(properties, "project.parent.groupId", parentGroupId);
        putIfKnown(properties, "project.parent.version", parentVersion);
        return properties;
    }

    private static void putIfKnown(Map<String, String> properties, String key, String value) {
        if (value != null) properties.put(key, value);
    }

    /** {@code value} with every known {@code ${name}} replaced, nested ones too; unknown ones stay. */
    private static String resolve(String value, Map<String, String> properties) {
        if (value == null) return null;
        for (int round = 0; round < 10 && value.contains("${"); round++) {
            Matcher m = PROPERTY.matcher(value);
            StringBuilder sb = new StringBuilder();
            boolean changed = false;
            while (m.find()) {
                String replacement = properties.get(m.group(1).strip());
                changed |= replacement != null;
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
            }
            m.appendTail(sb);
            value = sb.toString().strip();
            if (!changed) break;
        }
        return value;
    }

    /** The document as elements, by a parser that refuses DOCTYPEs and so any entity or external fetch. */
    private static Element read(Path file, String text) throws LockfileException {
        Handler handler = new Handler();
        try {
            SAXParserFactory factory = SAXParserFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setXIncludeAware(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.newSAXParser().parse(new InputSource(new StringReader(text)), handler);
        } catch (SAXParseException e) {
            String message = String.valueOf(e.getMessage());
            String problem = message.contains("DOCTYPE") ? "a DOCTYPE is not allowed in a POM (it could declare entities)"
                    : "not well-formed XML: " + message;
            throw new LockfileException(file, "line " + e.getLineNumber() + ": " + problem, e);
        } catch (SAXException | ParserConfigurationException e) {
            throw new LockfileException(file, "not well-formed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LockfileException(file, "cannot read: " + e.getMessage(), e);
        }
        if (handler.root == null) throw new LockfileException(file, "no XML element");
        return handler.root;
    }

    private static final class Handler extends DefaultHandler {
        private final Deque<Element> open = new ArrayDeque<>();
        private Locator locator;
        private Element root;

        @Override
        public void setDocumentLocator(Locator locator) {
            this.locator = locator;
        }

        @Override
        public void startElement(String uri, String localName, String qName, Attributes attributes) throws SAXException {
            if (open.size() >= MAX_NESTING) {
                throw new SAXParseException("elements nested deeper than " + MAX_NESTING, locator);
            }
            Element element = new Element(localName.isEmpty() ? qName : localName, locator == null ? 0 : locator.getLineNumber(),
                    new StringBuilder(), new ArrayList<>());
            if (open.isEmpty()) root = element;
            else open.peek().children.add(element);
            open.push(element);
        }

        @Override
        public void endElement(String uri, String localName, String qName) {
            open.pop();
        }

        @Override
        public void characters(char[] ch, int start, int length) {
            if (!open.isEmpty()) open.peek().text.append(ch, start, length);
        }
    }
}
