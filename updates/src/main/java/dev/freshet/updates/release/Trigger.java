package dev.freshet.updates.release;

/** What caused an activation or rollback. */
public enum Trigger { SCHEDULE, USER, AUTOMATIC }
