package io.wharf.bma;

import static io.wharf.bma.BmaFixtures.record;
import static io.wharf.bma.BmaFixtures.transaction;
import static io.wharf.bma.BmaFixtures.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.wharf.common.net.OutboundAddressPolicy;
import io.wharf.testing.Sql;
import io.wharf.testing.TestTenants;
import io.wharf.testing.TestTenants.TestTenant;
import jakarta.inject.Inject;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** A tenant's image URL is judged at ingestion by the policy its fetch will use: ports, refusals that reveal no address, Wharf's endpoint. */
@QuarkusTest
class ImageUrlPolicyTest {

    private static final String POST = "/api/integration/bma/transaction";

    @Inject
    DataSource ds;

    @Inject
    S3Client s3;

    @ConfigProperty(name = "wharf.s3.bucket")
    String bucket;

    @ConfigProperty(name = "quarkus.s3.endpoint-override")
    String endpoint;

    private static JsonPath post(TestTenant t, List<Map<String, Object>> images, int status) {
        return t.as().contentType("application/json").body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, images)))).when().post(POST)
                .then().statusCode(status).extract().jsonPath();
    }

    @Test
    void aPortOtherThan80Or443IsRefusedAtIngestionNamingTheField() {
        TestTenant t = TestTenants.client();
        // public addresses: only the port decides (nothing is looked up or fetched)
        JsonPath refused = post(t, List.of(url("https://93.184.215.14/a.jpg"), url("http://93.184.215.14:8080/a.jpg"),
                url("http://93.184.215.14:22/a.jpg")), 400);
        assertThat(refused.getList("errors.field")).containsExactly("/records/0/images/1/url", "/records/0/images/2/url");
        assertThat(refused.getString("errors[0].message")).contains("port 8080").contains("wharf.outbound.allowed-ports");
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM files WHERE tenant_id = ?", t.id())).isEqualTo(0L);
    }

    @Test
    void aRefusedNameIsNotToldWhatItResolvedToButTheOperatorLogIsWithoutTheQuery() throws Exception {
        InetAddress self = InetAddress.getLocalHost();
        String name = self.getHostName();
        assumeTrue(!name.equalsIgnoreCase("localhost") && OutboundAddressPolicy.isInternal(self),
                "this machine's name resolves to an internal address");
        String token = "tok-" + UUID.randomUUID();
        TestTenant t = TestTenants.client();
        JsonPath refused = post(t, List.of(url("http://" + name + "/photos/a.jpg?token=" + token)), 400);
        assertThat(refused.getString("errors[0].field")).isEqualTo("/records/0/images/0/url");
        String message = refused.getString("errors[0].message");
        assertThat(message).contains("internal address").doesNotContain(self.getHostAddress());
        assertThat(refused.prettify()).doesNotContain(self.getHostAddress());
        String log = Files.readString(Path.of("target/wharf-test.log"));
        assertThat(log.lines().filter(l -> l.contains("WARN") && l.contains("http://" + name + "/photos/a.jpg") && l.contains(self.getHostAddress())))
                .as("the operator's log names the URL and the address").isNotEmpty();
        assertThat(log).doesNotContain(token);
    }

    @Test
    void everySpellingOfWharfsOwnEndpointIsTheBucketOrRefusedNeverAnExternalImage() {
        TestTenant t = TestTenants.client();
        String key = "ingest/" + t.id() + "/own-" + UUID.randomUUID() + ".jpg";
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(BmaFixtures.jpeg(2_000, 77)));
        int port = URI.create(endpoint).getPort();
        List<String> hosts = List.of("localhost", "LOCALHOST.", "127.0.0.1", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0", "wharf.localhost");
        List<Map<String, Object>> images = hosts.stream().map(h -> url("http://" + h + ":" + port + "/" + bucket + "/" + key)).toList();
        JsonPath created = t.as().contentType("application/json")
                .body(transaction(BmaFixtures.newId(), List.of(record("PET", 1, images.subList(0, 4)),
                        record("Cans", 1, images.subList(4, images.size())))))
                .when().post(POST).then().statusCode(201).extract().jsonPath();
        assertThat(created.getList("records.images.flatten()")).hasSize(hosts.size());
        // each one a row of Wharf's bucket with its key; none an external file, no migration job that would fetch it without credentials
        assertThat(Sql.rows(ds, "SELECT DISTINCT source::text AS source, s3_bucket, s3_key FROM files WHERE tenant_id = ?", t.id()))
                .containsExactly(Map.of("source", "s3", "s3_bucket", bucket, "s3_key", key));
        assertThat(Sql.scalar(ds, "SELECT count(*) FROM s3_migration_log j JOIN files f ON f.id = j.file_id WHERE f.tenant_id = ?", t.id()))
                .isEqualTo(0L);
        // the endpoint with anything but an object of the bucket: another bucket, the bucket's listing
        JsonPath refused = post(t, List.of(url("http://localhost:" + port + "/other-bucket/a.jpg"), url("http://[::1]:" + port + "/" + bucket
                + "?list-type=2"), url("http://127.0.0.1:" + port + "/" + bucket + "/" + key)), 400);
        assertThat(refused.getList("errors.field")).containsExactly("/records/0/images/0/url", "/records/0/images/1/url");
    }
}
