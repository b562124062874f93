package io.wharf.common.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The paths Quarkus REST routes to a document resource, however they are spelled. */
@Tag("unit")
class DocumentRouteTest {

    @Test
    void matrixParametersEscapesAndDoubleSlashesDoNotHideADocumentRoute() {
        for (String path : new String[] { "/connector/profiles", "/connector/profiles;x=1", "/connector;x=1/profiles/p1",
                "/demo/proposals;a/p1", "/demo/proposal%73", "/demo/clients%3Bx=1/c1", "//demo//clients", "/demo/clients/c1;v=2" }) {
            assertThat(BodySizeLimit.isDocumentRoute(path)).as(path).isTrue();
        }
        for (String path : new String[] { "/demo/clientsx", "/api/admin/tenants", "/demo", "/demo/%zz", "/connector/profile" }) {
            assertThat(BodySizeLimit.isDocumentRoute(path)).as(path).isFalse();
        }
    }
}
