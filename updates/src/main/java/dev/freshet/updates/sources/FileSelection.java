package dev.freshet.updates.sources;

import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * Which files of a source one kind of knowledge takes, and the limits that keep a hostile or
 * mistaken source from exhausting memory: rule sources take rule files and their tests, model
 * sources take model artifacts.
 *
 * @param kind   what the files are, for messages ("rule or test file")
 * @param select the wanted paths among all of a source's paths ('/'-separated), sorted
 */
public record FileSelection(String kind, Function<Collection<String>, List<String>> select, long maxFileBytes, long maxTotalBytes) {
    /** Rule files ({@code X.yaml}) and their test files beside them. */
    public static final FileSelection RULES = new FileSelection("rule or test file", paths -> RuleFiles.select(paths, path -> true),
            RuleFiles.MAX_FILE_BYTES, RuleFiles.MAX_TOTAL_BYTES);

    /** Model artifacts: {@code *.json} files outside hidden folders. */
    public static final FileSelection MODEL_ARTIFACTS = new FileSelection("model artifact",
            paths -> paths.stream().filter(path -> path.endsWith(".json") && !RuleFiles.hidden(path)).sorted().toList(),
            256L * 1024 * 1024, 1024L * 1024 * 1024);

    /** The files of {@code files} this selection takes. */
    public List<SourceFile> of(List<SourceFile> files) {
        List<String> wanted = select.apply(files.stream().map(SourceFile::path).toList());
        return files.stream().filter(file -> wanted.contains(file.path())).toList();
    }
}
