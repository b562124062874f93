package io.wharf.common.net;

import java.util.List;

/**
 * Hosts that URLs of the operator's own (the legacy file server's, from the seed tables) may reach although they
 * resolve to internal addresses, as {@code host}, {@code host:port} or {@code host:*}. The feature that fetches such
 * URLs produces it from its settings (wharf.copy.allowed-hosts), so that common reads no feature's settings.
 */
public record OperatorHosts(List<String> allowed) {
}
