package io.wharf.common.web;

import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One page of a list; {@code nextCursor} is absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Page<T>(List<T> items, String nextCursor) {

    /** The same page with each item shown another way. */
    public <U> Page<U> map(Function<T, U> view) {
        return new Page<>(items.stream().map(view).toList(), nextCursor);
    }

    /** Builds a page from up to limit+1 rows: the extra row only says that there is more; {@code list} tags the cursor. */
    public static <E, T> Page<T> of(List<E> rows, int limit, String list, Function<E, PageCursor> position, Function<E, T> view) {
        boolean more = rows.size() > limit;
        List<E> shown = more ? rows.subList(0, limit) : rows;
        String next = more ? position.apply(shown.get(shown.size() - 1)).encode(list) : null;
        return new Page<>(shown.stream().map(view).toList(), next);
    }
}
