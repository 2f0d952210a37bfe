package dev.freshet.updates.learning;

import java.nio.file.Path;

/** Where a test finds a stored artifact on disk. */
final class ModelStoreFiles {
    private ModelStoreFiles() {
    }

    static Path artifact(ModelStore store, ModelVersion version) {
        return store.directory().resolve("versions").resolve(version.digest() + ".json");
    }
}
