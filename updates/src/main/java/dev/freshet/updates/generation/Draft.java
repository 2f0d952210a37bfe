package dev.freshet.updates.generation;

/**
 * What a generator proposes for one target: a rule and the two examples it must tell apart.
 *
 * @param model         the concrete model that wrote it ("templates" for the offline generator)
 * @param promptVersion the version of the prompt (or template catalog) it was made with
 */
public record Draft(String yaml, String vulnerable, String safe, String model, String promptVersion) {
}
