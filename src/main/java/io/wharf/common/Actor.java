package io.wharf.common;

/**
 * Who makes a change, as the audit trail records it. Services take it as an argument instead of looking at
 * the current request, so that a scheduled worker or a command-line command can call the same service and
 * be recorded as itself: a client's user id is whatever it sent as X-User-Id, so only the kind tells a
 * client from Wharf's own work.
 */
public record Actor(Kind kind, String userId, String keyPrefix, String ip, String userAgent) {

    /** audit_logs.actor_type: an API key's request, Wharf's own background work, or an operator's command line. */
    public enum Kind {
        client, system, cli
    }

    /** user_id of Wharf's own entries. */
    public static final String SYSTEM_USER = "system";

    /** Wharf itself: start-up, scheduled jobs and workers. */
    public static final Actor SYSTEM = new Actor(Kind.system, SYSTEM_USER, null, null, null);

    public static Actor client(String userId, String keyPrefix, String ip, String userAgent) {
        return new Actor(Kind.client, userId, keyPrefix, ip, userAgent);
    }

    /** An operator's command, recorded under the operator's name (the OS account, unless given). */
    public static Actor cli(String operator) {
        return new Actor(Kind.cli, operator == null || operator.isBlank() ? "cli" : operator.strip(), null, null, null);
    }
}
