package io.wharf.connector;

import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.crypto.SecretCipher;

/**
 * Seed 003's connector service stored connection_string and credentials as they came (a string and an
 * object); Wharf stores them only as {@link SecretCipher} values. A profile adopted from it is read as it is
 * until {@link LegacySecretSealer} or a write through Wharf has encrypted it, so no path ever writes the plain
 * text back.
 */
final class LegacySecrets {

    static final List<String> FIELDS = List.of("connection_string", "credentials");

    /** SQL condition on connector_profiles: some secret is still held in plain text. */
    static final String PLAIN_SQL = FIELDS.stream()
            .map(f -> "(COALESCE(jsonb_typeof(profile_data->'" + f + "'), 'null') <> 'null' AND left(profile_data->>'" + f + "', "
                    + SecretCipher.PREFIX.length() + ") <> '" + SecretCipher.PREFIX + "')")
            .collect(Collectors.joining(" OR ", "(", ")"));

    private LegacySecrets() {
    }

    static boolean isPlain(JsonNode value) {
        return value != null && !value.isNull() && !(value.isTextual() && SecretCipher.isEncrypted(value.textValue()));
    }

    /** The secret as Wharf encrypts it: a string as it is, credentials as their JSON. */
    static String plainText(JsonNode value) {
        return value.isTextual() ? value.textValue() : value.toString();
    }

    /** Encrypts, in place, every secret of the profile still held in plain text; true when there was one. */
    static boolean seal(ObjectNode data, UUID tenant, String id, SecretCipher cipher) {
        boolean sealed = false;
        for (String field : FIELDS) {
            JsonNode value = data.get(field);
            if (isPlain(value)) {
                data.put(field, cipher.encrypt(plainText(value), ConnectorService.context(tenant, id, field)));
                sealed = true;
            }
        }
        return sealed;
    }
}
