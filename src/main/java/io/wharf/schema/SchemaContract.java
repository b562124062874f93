package io.wharf.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The objects SPEC.md and the seeds name, which other systems query by name. Kept as data
 * ({@code schema-contract.json}) so that the verifier and the tests read one list.
 */
public record SchemaContract(Map<String, List<String>> tables, Map<String, List<String>> enums, List<String> indexes,
        List<String> constraints, List<String> views, List<String> functions, List<String> comments) {

    public static SchemaContract load(ObjectMapper mapper) {
        try (InputStream in = SchemaContract.class.getClassLoader().getResourceAsStream("schema-contract.json")) {
            if (in == null) {
                throw new IllegalStateException("schema-contract.json is missing from the classpath");
            }
            return mapper.readValue(in, SchemaContract.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the contract names that the catalog lacks, as "kind name" strings. */
    public List<String> missingFrom(SchemaRepository.Catalog catalog) {
        List<String> missing = new ArrayList<>();
        tables.forEach((table, columns) -> columns.forEach(col -> {
            if (!catalog.columns().contains(table + "." + col)) {
                missing.add("column " + table + "." + col);
            }
        }));
        enums.forEach((type, values) -> values.forEach(v -> {
            if (!catalog.enumValues().contains(type + ":" + v)) {
                missing.add("enum value " + type + "." + v);
            }
        }));
        indexes.stream().filter(i -> !catalog.indexes().contains(i)).forEach(i -> missing.add("index " + i));
        constraints.stream().filter(c -> !catalog.constraints().contains(c)).forEach(c -> missing.add("constraint " + c));
        views.stream().filter(v -> !catalog.views().contains(v)).forEach(v -> missing.add("view " + v));
        functions.stream().filter(f -> !catalog.functions().contains(f)).forEach(f -> missing.add("function " + f));
        comments.stream().filter(t -> !catalog.commented().contains(t)).forEach(t -> missing.add("comment on " + t));
        return missing;
    }

    public int size() {
        return tables.values().stream().mapToInt(List::size).sum() + enums.values().stream().mapToInt(List::size).sum()
                + indexes.size() + constraints.size() + views.size() + functions.size() + comments.size();
    }
}
