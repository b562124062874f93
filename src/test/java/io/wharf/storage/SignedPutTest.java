package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Objects written by {@link SignedPut} (its own SigV4 signature and URL, not the S3 client's) are read back
 * through the S3 client byte for byte, under keys whose characters need escaping in a URL; a failed PUT says
 * so as an S3 error and stores nothing.
 */
@QuarkusTest
class SignedPutTest {

    @Inject
    ObjectStore store;

    @Inject
    S3Client s3;

    private static String sha256(byte[] b) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @Test
    void keysThatNeedEscapingAreWrittenUnderExactlyThatKey() throws Exception {
        String prefix = "signed-put-test/" + UUID.randomUUID() + "/";
        for (String name : new String[] { "plain.bin", "with space.bin", "plus+and=equals&amp.bin", "ümlaut é.jpg", "percent%20literal.bin",
                "deep/er/path/x~y(1).png" }) {
            byte[] body = new byte[4096 + name.length()];
            new Random(name.hashCode()).nextBytes(body);
            store.put(prefix + name, body, "image/png", sha256(body));
            ResponseBytes<GetObjectResponse> back = s3.getObjectAsBytes(b -> b.bucket(store.bucket()).key(prefix + name));
            assertThat(back.asByteArray()).as(name).isEqualTo(body);
            assertThat(back.response().contentType()).as(name).isEqualTo("image/png");
        }
        assertThat(store.list(prefix, null, 100).objects()).hasSize(6);
    }

    @Test
    void onlyTheGivenLengthOfTheBufferIsStored() throws Exception {
        String key = "signed-put-test/" + UUID.randomUUID() + "/part.bin";
        byte[] buffer = new byte[10_000];
        new Random(7).nextBytes(buffer);
        byte[] first = Arrays.copyOf(buffer, 1234);
        store.put(key, buffer, 1234, "application/octet-stream", sha256(first));
        assertThat(s3.getObjectAsBytes(b -> b.bucket(store.bucket()).key(key)).asByteArray()).isEqualTo(first);
    }

    @Test
    void aRefusedPutIsAnS3ErrorWithItsCode() {
        // a key longer than S3 allows (1,024 bytes): S3 refuses it (S3Proxy with a 500 from its file system), and the
        // caller sees the answer as an S3Exception, as from the S3 client
        String key = "signed-put-test/" + "k".repeat(1100);
        assertThatThrownBy(() -> store.put(key, new byte[] { 1, 2, 3 }, "application/octet-stream", sha256(new byte[] { 1, 2, 3 })))
                .isInstanceOf(S3Exception.class).satisfies(e -> assertThat(((S3Exception) e).statusCode()).isGreaterThanOrEqualTo(400));
    }
}
