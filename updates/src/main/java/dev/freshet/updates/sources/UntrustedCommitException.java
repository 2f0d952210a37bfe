package dev.freshet.updates.sources;

/** A git source's new commits include one whose author is not trusted; the update is refused as a whole. */
public final class UntrustedCommitException extends SourceException {
    private final String commit;
    private final String author;

    public UntrustedCommitException(String source, String commit, String author, String tip, int untrustedCount) {
        super(source, "commit " + commit + " is authored by " + author + ", who is not a trusted author; the update to "
                + tip + " is refused" + (untrustedCount > 1 ? " (" + untrustedCount + " untrusted commits)" : "")
                + " and the previous revision stays. Add the author to the source's trusted authors to accept it.");
        this.commit = commit;
        this.author = author;
    }

    public String commit() {
        return commit;
    }

    public String author() {
        return author;
    }
}
