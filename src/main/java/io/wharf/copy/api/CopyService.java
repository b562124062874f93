package io.wharf.copy.api;

import java.util.List;
import java.util.function.Function;

import io.wharf.common.Actor;
import io.wharf.common.web.Page;
import io.wharf.common.web.PageCursor;
import io.wharf.common.web.QueryParams;
import io.wharf.copy.LegacyColumn;
import io.wharf.copy.queue.CopyControl;
import io.wharf.copy.queue.JobRepository;
import io.wharf.copy.queue.JobView;
import jakarta.enterprise.context.ApplicationScoped;

/** The operators' side of the queue: its jobs, failed jobs sent back, pause and resume. */
@ApplicationScoped
public class CopyService {

    static final String LIST = "s3_migration_jobs";
    static final List<String> STATUSES = List.of("pending", "migrated", "failed", "skipped");

    public record Retried(long jobs) {
    }

    public record Switch(boolean paused) {
    }

    private final JobRepository jobs;
    private final CopyControl control;

    CopyService(JobRepository jobs, CopyControl control) {
        this.jobs = jobs;
        this.control = control;
    }

    public Page<JobView> jobs(String status, String table, String error, String cursor, String limit) {
        int n = QueryParams.limit("limit", limit, 50, 500);
        QueryParams.oneOf("status", QueryParams.text("status", status), STATUSES);
        QueryParams.oneOf("table", QueryParams.text("table", table), LegacyColumn.TABLES);
        QueryParams.text("error", error);
        PageCursor after = null;
        if (cursor != null && !cursor.isBlank()) {
            after = PageCursor.decode(cursor, LIST);
            if (QueryParams.uuidOrNull(after.id()) == null) {
                throw PageCursor.invalid();
            }
        }
        return Page.of(jobs.list(status, table, error == null || error.isEmpty() ? null : error, after, n), n, LIST,
                j -> new PageCursor(j.createdAt(), j.id().toString()), Function.identity());
    }

    /** Every failed job (of a table, whose error contains a text) back to pending, in batches walking the failed jobs once; workers are woken. */
    public Retried retry(String table, String error) {
        QueryParams.oneOf("table", QueryParams.text("table", table), LegacyColumn.TABLES);
        QueryParams.text("error", error);
        long total = 0;
        String text = error == null || error.isEmpty() ? null : error;
        JobRepository.RetryStep step = jobs.retry(table, text, null, null, 1000);
        total += step.retried();
        while (step.lastId() != null) {
            step = jobs.retry(table, text, step.lastCreatedAt(), step.lastId(), 1000);
            total += step.retried();
        }
        if (total > 0) {
            jobs.announce();
        }
        return new Retried(total);
    }

    public Switch pause(boolean pause, Actor actor) {
        return new Switch(control.set(pause, actor));
    }
}
