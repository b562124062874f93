package io.wharf.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every way S3 and generate_s3_url write a URL of Wharf's bucket is read as its key; other buckets and hosts are not. */
@Tag("unit")
class BucketUrlsTest {

    private final BucketUrls urls = new BucketUrls("wharf-files", Optional.of(URI.create("http://127.0.0.1:9000")));

    @Test
    void everyFormOfTheBucketNamesItsKey() {
        for (String url : List.of("https://wharf-files.s3.amazonaws.com/uploads/t/a.jpg",
                "http://wharf-files.s3.eu-central-1.amazonaws.com/uploads/t/a.jpg",
                "https://wharf-files.s3-eu-central-1.amazonaws.com/uploads/t/a.jpg",
                "https://wharf-files.s3.dualstack.us-east-1.amazonaws.com/uploads/t/a.jpg",
                "https://wharf-files.s3-fips.us-east-1.amazonaws.com/uploads/t/a.jpg", "https://s3.amazonaws.com/wharf-files/uploads/t/a.jpg",
                "https://s3.us-west-2.amazonaws.com/wharf-files/uploads/t/a.jpg", "s3://wharf-files/uploads/t/a.jpg",
                "http://127.0.0.1:9000/wharf-files/uploads/t/a.jpg", "https://wharf-files.s3.amazonaws.com./uploads/t/a.jpg",
                "https://wharf-files.s3.amazonaws.com/uploads/t/a.jpg?X-Amz-Signature=abc&X-Amz-Expires=60")) {
            assertThat(urls.classify(url)).as(url).isEqualTo(new BucketUrls.Own("uploads/t/a.jpg"));
        }
        assertThat(urls.classify("https://wharf-files.s3.amazonaws.com/uploads/t/a%20b.jpg")).isEqualTo(new BucketUrls.Own("uploads/t/a b.jpg"));
        assertThat(urls.classify("https://wharf-files.s3.amazonaws.com/uploads/t/a b.jpg")).isEqualTo(new BucketUrls.Own("uploads/t/a b.jpg"));
        // the endpoint in any spelling that reaches it without a lookup
        for (String host : List.of("localhost", "LOCALHOST.", "[::ffff:127.0.0.1]", "[::1]", "0.0.0.0", "s3.localhost")) {
            String url = "http://" + host + ":9000/wharf-files/uploads/t/a.jpg";
            assertThat(urls.classify(url)).as(url).isEqualTo(new BucketUrls.Own("uploads/t/a.jpg"));
        }
        assertThat(urls.classify("https://wharf-files.localhost:9000/uploads/t/a.jpg")).isEqualTo(new BucketUrls.Own("uploads/t/a.jpg"));
        assertThat(new BucketUrls("wharf-files", Optional.of(URI.create("http://localhost:9000"))).classify("http://127.0.0.1:9000/wharf-files/k"))
                .isEqualTo(new BucketUrls.Own("k"));
        assertThat(urls.canonical("uploads/t/a.jpg")).isEqualTo("https://wharf-files.s3.amazonaws.com/uploads/t/a.jpg");
    }

    @Test
    void otherBucketsAndHostsAreExternalAndOddFormsAreRefused() {
        assertThat(urls.classify("https://other.s3.amazonaws.com/a.jpg")).isInstanceOf(BucketUrls.Other.class);
        assertThat(urls.classify("https://cdn.example.com/wharf-files/a.jpg")).isInstanceOf(BucketUrls.Other.class);
        assertThat(urls.classify("http://files.example/scan of {q3}|final^été.pdf")).isInstanceOf(BucketUrls.Other.class);
        assertThat(urls.classify("http://127.0.0.1:9001/wharf-files/a.jpg")).isInstanceOf(BucketUrls.Other.class); // another port
        for (String bad : List.of("ftp://x/a.jpg", "s3://other/a.jpg", "https://evil.wharf-files.s3.amazonaws.com/a.jpg", "http://u:p@example.com/a",
                "https://wharf-files.s3.amazonaws.com/uploads/../other/a.jpg", "https://wharf-files.s3.amazonaws.com/uploads//a.jpg",
                "https://wharf-files.s3.amazonaws.com/", "https://wharf-files.s3.amazonaws.com/a%0Ab", "not a url", "https:///a",
                // the endpoint with anything but an object of the bucket is refused, never fetched as an outside file
                "http://localhost:9000/other-bucket/a.jpg", "http://[::1]:9000/wharf-files?list-type=2", "http://127.0.0.1:9000/",
                "http://127.0.0.1.:9000/wharf-files/k")) {
            assertThat(urls.classify(bad)).as(bad).isInstanceOf(BucketUrls.Invalid.class);
        }
    }

    @Test
    void aTenantOwnsOnlyItsAreas() {
        UUID t = UUID.randomUUID();
        assertThat(BucketUrls.ownedBy("uploads/" + t + "/image/a.jpg", t)).isTrue();
        assertThat(BucketUrls.ownedBy("ingest/" + t + "/x/a.jpg", t)).isTrue();
        assertThat(BucketUrls.ownedBy("uploads/" + UUID.randomUUID() + "/a.jpg", t)).isFalse();
        assertThat(BucketUrls.ownedBy("legacy/" + t + "/a.jpg", t)).isFalse();
        assertThat(BucketUrls.ownedBy("uploads/" + t + "x/a.jpg", t)).isFalse();
    }
}
