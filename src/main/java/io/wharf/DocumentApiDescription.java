package io.wharf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;

import io.wharf.clientconfig.ClientConfigService;
import io.wharf.connector.ConnectorService;
import io.wharf.document.DocumentType;
import io.wharf.document.ListFilter;
import io.wharf.proposal.ProposalService;

/**
 * The API description of the document endpoints, which one generic resource serves: each type's own
 * words, its list filters (with their allowed values) and its id's seed name in the path, all from its
 * {@link DocumentType}. It sits at the root because it is the one place that knows every document type;
 * a new type is added to {@link #TYPES}. Runs at build time (mp.openapi.filter).
 */
public class DocumentApiDescription implements OASFilter {

    static final List<DocumentType> TYPES = List.of(ConnectorService.TYPE, ClientConfigService.TYPE, ProposalService.TYPE);

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        for (DocumentType type : TYPES) {
            PathItem list = openAPI.getPaths().getPathItem(type.path());
            if (list != null) {
                describeList(type, list);
            }
            PathItem one = openAPI.getPaths().getPathItem(type.path() + "/{id}");
            if (one != null) {
                describeOne(type, one);
                openAPI.getPaths().removePathItem(type.path() + "/{id}");
                openAPI.getPaths().addPathItem(type.path() + "/{" + type.idField() + "}", one);
            }
        }
    }

    private static void describeList(DocumentType type, PathItem item) {
        String many = type.label().toLowerCase() + "s";
        if (item.getPOST() != null) {
            item.getPOST().setSummary("Creates a " + type.label().toLowerCase() + "; 409 if its " + type.idField() + " exists");
        }
        Operation get = item.getGET();
        if (get == null) {
            return;
        }
        List<String> names = type.filters().stream().map(ListFilter::param).toList();
        get.setSummary("Lists " + many + ", oldest first, filtered by " + String.join(", ", names) + " and creation time");
        List<Parameter> parameters = new ArrayList<>(get.getParameters() == null ? List.of() : get.getParameters());
        for (ListFilter f : type.filters()) {
            Schema schema = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
            if (!f.values().isEmpty()) {
                schema.enumeration(new ArrayList<>(f.values()));
            }
            parameters.add(OASFactory.createParameter().name(f.param()).in(Parameter.In.QUERY).schema(schema)
                    .description(f.inList() ? "only documents whose " + f.field() + " contain this value" : "only documents whose " + f.field()
                            + " is this value"));
        }
        get.setParameters(parameters);
    }

    private static void describeOne(DocumentType type, PathItem item) {
        String one = type.label().toLowerCase();
        Map<PathItem.HttpMethod, Operation> ops = item.getOperations();
        ops.values().forEach(op -> {
            if (op.getParameters() != null) {
                op.getParameters().stream().filter(p -> "id".equals(p.getName()) && p.getIn() == Parameter.In.PATH)
                        .forEach(p -> p.setName(type.idField()));
            }
        });
        if (item.getGET() != null) {
            item.getGET().setSummary("Reads a " + one + "; its version is the ETag");
        }
        if (item.getPUT() != null) {
            item.getPUT().setSummary("Replaces a " + one + "; send If-Match with the ETag to refuse lost updates (412)");
        }
    }
}
