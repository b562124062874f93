package io.wharf.document;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.wharf.common.web.QueryParams;

/**
 * A list query parameter that selects documents by one of their fields, answered as JSONB containment
 * ({@code @>}) so that PostgreSQL can use the table's GIN index. Enumerations are checked against their
 * values, so a misspelt value is a 400 instead of an empty list.
 *
 * @param param  the query parameter
 * @param field  the document field it matches
 * @param values the allowed values, or empty for any text
 * @param inList whether the field is an array that must contain the value
 */
public record ListFilter(String param, String field, List<String> values, boolean inList) {

    public ListFilter {
        values = List.copyOf(values);
    }

    /** The field equals the parameter, any text. */
    public static ListFilter text(String name) {
        return new ListFilter(name, name, List.of(), false);
    }

    /** The field equals the parameter, one of the enumeration's names. */
    public static ListFilter oneOf(String name, Class<? extends Enum<?>> values) {
        return new ListFilter(name, name, Arrays.stream(values.getEnumConstants()).map(Enum::name).toList(), false);
    }

    /** The array {@code field} contains the parameter. */
    public static ListFilter element(String param, String field) {
        return new ListFilter(param, field, List.of(), true);
    }

    /** Adds the parameter's condition to {@code contains}; nothing when it is absent. */
    void apply(String value, ObjectNode contains) {
        if (value == null) {
            return;
        }
        String checked = values.isEmpty() ? QueryParams.text(param, value) : QueryParams.oneOf(param, value, values);
        if (inList) {
            contains.putArray(field).add(checked);
        } else {
            contains.put(field, checked);
        }
    }
}
