package io.wharf.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Registers the local database and S3 server for every @QuarkusTest of the run. */
@WithTestResource(value = LocalServicesTestResource.class, scope = TestResourceScope.GLOBAL)
public final class GlobalTestResources {

    private GlobalTestResources() {
    }
}
