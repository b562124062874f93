package io.wharf.clientconfig;

import java.util.UUID;

/**
 * Fired before a client config is deleted, its row locked. A feature whose documents name client configs
 * observes it and refuses the delete by throwing, so this package need not know those features.
 */
public record ClientConfigRemoval(UUID tenantId, String clientId) {
}
