package io.wharf.tenant;

import java.util.HashSet;

import java.util.Set;

/**
 * What a key may do. An admin key is an operator's: it manages tenants and keys and also works on the
 * client endpoints of its own tenant.
 */
public enum Scope {
    admin, client;

    public static final String ADMIN = "admin";
    public static final String CLIENT = "client";

    /** The security roles a key with these scopes holds. */
    public static Set<String> roles(Iterable<String> scopes) {
        Set<String> roles = new HashSet<>();
        for (String s : scopes) {
            roles.add(s);
            if (ADMIN.equals(s)) {
                roles.add(CLIENT);
            }
        }
        return roles;
    }
}
