package io.wharf.copy.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.common.error.WharfException;
import io.wharf.copy.CopyConfig;
import io.wharf.copy.LegacyColumn;
import io.wharf.copy.queue.JobRepository;
import io.wharf.copy.queue.ScanRepository;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finds every legacy URL still without its S3 copy and queues one pending job for it. Tables are walked by
 * primary key in batches, each its own short transaction, so millions of rows never mean one long
 * transaction or all rows in memory; a scan stopped part-way loses nothing (a second scan adds only what is
 * missing). Workers are woken once the jobs are committed.
 */
@ApplicationScoped
public class ScanService {

    private static final Logger LOG = Logger.getLogger(ScanService.class);

    /** Per table and column: URLs found without an S3 URL, and jobs added (or that a dry run would add). */
    public record Counts(long found, long queued) {
    }

    public record Result(@JsonProperty("dry_run") boolean dryRun, Map<String, Map<String, Counts>> tables,
            long found,
            long queued) {
    }

    private final ScanRepository repository;
    private final JobRepository queue;
    private final int batchSize;

    ScanService(ScanRepository repository, JobRepository queue, CopyConfig config) {
        this.repository = repository;
        this.queue = queue;
        this.batchSize = Math.max(1, config.scanBatchSize());
    }

    /** {@code table} limits the scan to one table (null: all of them). */
    public Result scan(String table, boolean dryRun) {
        List<String> tables = table == null ? LegacyColumn.TABLES : List.of(table);
        if (table != null && !LegacyColumn.TABLES.contains(table)) {
            throw WharfException.invalid("table", "must be one of " + String.join(", ", LegacyColumn.TABLES));
        }
        Map<String, Map<String, Counts>> out = new LinkedHashMap<>();
        long found = 0;
        long queued = 0;
        for (String t : tables) {
            Map<String, long[]> totals = new LinkedHashMap<>();
            String after = null;
            while (true) {
                String from = after;
                ScanRepository.Batch b = QuarkusTransaction.requiringNew().call(() -> repository.scan(t, from, batchSize, dryRun));
                b.perColumn().forEach((column, c) -> {
                    long[] sum = totals.computeIfAbsent(column, k -> new long[2]);
                    sum[0] += c[0];
                    sum[1] += c[1];
                });
                if (b.rows() < batchSize) {
                    break;
                }
                after = b.lastId();
            }
            Map<String, Counts> columns = new LinkedHashMap<>();
            for (Map.Entry<String, long[]> e : totals.entrySet()) {
                columns.put(e.getKey(), new Counts(e.getValue()[0], e.getValue()[1]));
                found += e.getValue()[0];
                queued += e.getValue()[1];
            }
            out.put(t, columns);
        }
        if (!dryRun && queued > 0) {
            queue.announce();
            LOG.infof("Scan queued %d legacy files for migration", queued);
        }
        return new Result(dryRun, out, found, queued);
    }
}
