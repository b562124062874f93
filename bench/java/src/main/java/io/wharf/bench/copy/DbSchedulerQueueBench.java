package io.wharf.bench.copy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/**
 * The queue peer of bench/copy: db-scheduler in lock-and-fetch mode running a no-op one-time task over
 * N executions on PostgreSQL, its own scheduled_tasks table in a database of its own. Executions are seeded with
 * plain SQL (as Wharf's jobs are), the table vacuumed and checkpointed, then a scheduler with the given thread
 * count starts; the clock runs from its start until every execution has run and been completed (a one-time task
 * is deleted when it completes: the table is empty). Warm-up rounds of the same kind run first in the same JVM
 * until the rate stops rising, so the measured run is compiled code, as Wharf's is.
 *
 * <p>
 * Usage: DbSchedulerQueueBench &lt;jdbc url&gt; &lt;user&gt; &lt;password&gt; &lt;threads&gt; &lt;warm-up
 * executions&gt; &lt;executions&gt;. Prints "CPU ..." (per execution: this JVM, its database backends, the machine) and
 * "RATE &lt;executions/s&gt; &lt;seconds&gt;" last.
 */
public final class DbSchedulerQueueBench {

    private static final String TABLE = """
            CREATE TABLE IF NOT EXISTS scheduled_tasks (
              task_name TEXT NOT NULL,
              task_instance TEXT NOT NULL,
              task_data BYTEA,
              execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
              picked BOOLEAN NOT NULL,
              picked_by TEXT,
              last_success TIMESTAMP WITH TIME ZONE,
              last_failure TIMESTAMP WITH TIME ZONE,
              consecutive_failures INT,
              last_heartbeat TIMESTAMP WITH TIME ZONE,
              version BIGINT NOT NULL,
              priority SMALLINT,
              PRIMARY KEY (task_name, task_instance));
            CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);
            CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
            CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
            """;

    private DbSchedulerQueueBench() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        int threads = Integer.parseInt(args[3]);
        int warmUp = Integer.parseInt(args[4]);
        int executions = Integer.parseInt(args[5]);
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(url);
        pool.setUsername(args[1]);
        pool.setPassword(args[2]);
        pool.setMaximumPoolSize(threads + 4); // every execution thread, the fetch and the heartbeat
        pool.setMinimumIdle(threads + 4);
        try (HikariDataSource ds = new HikariDataSource(pool)) {
            sql(ds, TABLE);
            sql(ds, "TRUNCATE scheduled_tasks");
            AtomicLong ran = new AtomicLong();
            OneTimeTask<Void> noop = Tasks.oneTime("noop").execute((instance, context) -> ran.incrementAndGet());
            // rounds until the rate stops rising (two in a row less than 3 % above the best so far) and the JIT has
            // gone quiet (fewer than 25 methods compiled in the last round), at most 12: Wharf's warm-up in
            // bench/copy
            double best = 0;
            StringBuilder rates = new StringBuilder();
            StringBuilder jit = new StringBuilder();
            long compiledBefore = compiled();
            for (int round = 1, flat = 0; warmUp > 0 && round <= 12; round++) {
                double rate = warmUp / drain(ds, noop, ran, threads, warmUp, "w" + round);
                long after = compiled();
                rates.append(String.format(" %.0f", rate));
                jit.append(' ').append(after - compiledBefore);
                if (rate > best * 1.03) {
                    best = rate;
                    flat = 0;
                } else {
                    flat++;
                }
                if (flat >= 2 && after - compiledBefore < 25) {
                    break;
                }
                compiledBefore = after;
            }
            System.out.printf("warm-up (executions/s per %d):%s%n  methods the JIT compiled in each round:%s%n", warmUp, rates, jit);
            Cpu before = Cpu.now(ds);
            double s = drain(ds, noop, ran, threads, executions, "m");
            Cpu after = Cpu.now(ds, before.backends);
            System.out.printf("measured: %d executions in %.2f s with %d threads, lock-and-fetch (0.5, 1.0)%n", executions, s, threads);
            System.out.printf("CPU db-scheduler's JVM %.2f ms, its database backends %.2f ms per execution; machine busy %.0f%%%n",
                    (after.jvmNanos - before.jvmNanos) / 1e6 / executions, (after.backendTicks - before.backendTicks) * 10.0 / executions,
                    100.0 * (after.machineBusy - before.machineBusy) / Math.max(1, after.machineTotal - before.machineTotal));
            System.out.printf("RATE %.1f %.3f%n", executions / s, s);
        }
    }

    /** Seeds n due executions, settles the table, then times a fresh scheduler from start until all are done. */
    private static double drain(HikariDataSource ds, OneTimeTask<Void> noop, AtomicLong ran, int threads, int n, String prefix)
            throws SQLException, InterruptedException {
        sql(ds, "INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version) "
                + "SELECT 'noop', '" + prefix + "-' || g, NULL, now() - interval '1 second', FALSE, 1 FROM generate_series(1, " + n + ") g");
        sql(ds, "VACUUM ANALYZE scheduled_tasks");
        sql(ds, "CHECKPOINT");
        ran.set(0);
        Scheduler scheduler = Scheduler.create(ds, noop).threads(threads).pollUsingLockAndFetch(0.5, 1.0).build();
        long t0 = System.nanoTime();
        scheduler.start();
        long deadline = t0 + Duration.ofMinutes(10).toNanos();
        while (ran.get() < n || remaining(ds) > 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("db-scheduler did not finish: " + ran.get() + " of " + n + " executed, " + remaining(ds) + " left");
            }
            Thread.sleep(ran.get() < n ? 20 : 5);
        }
        long t1 = System.nanoTime();
        scheduler.stop();
        if (ran.get() != n) {
            throw new IllegalStateException(ran.get() + " executions ran, expected " + n);
        }
        return (t1 - t0) / 1e9;
    }

    /** Methods this JVM's JIT has compiled so far, as jstat reports them for Wharf. */
    private static long compiled() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jstat", "-compiler", Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        p.waitFor();
        return Long.parseLong(lines.get(1).trim().split("\\s+")[0]);
    }

    private static long remaining(HikariDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * CPU used so far by this JVM and by the database backends serving its pool (their /proc stat, in clock ticks of
     * 10 ms), and the machine's busy and total ticks.
     */
    private record Cpu(long jvmNanos, List<Long> backends, long backendTicks, long machineBusy, long machineTotal) {

        static Cpu now(HikariDataSource ds) throws SQLException, IOException {
            List<Long> pids = new ArrayList<>();
            try (Connection c = ds.getConnection();
                 Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
                while (rs.next()) {
                    pids.add(rs.getLong(1));
                }
            }
            return now(ds, pids);
        }

        static Cpu now(HikariDataSource ds, List<Long> pids) throws IOException {
            long ticks = 0;
            for (long pid : pids) {
                try {
                    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                } catch (IOException e) {
                    // the backend is gone
                }
            }
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = Long.parseLong(cpu[1]) + Long.parseLong(cpu[2]) + Long.parseLong(cpu[3]) + Long.parseLong(cpu[6]) + Long.parseLong(cpu[7]);
            long total = busy + Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
            return new Cpu(jvm, pids, ticks, busy, total);
        }
    }

    private static void sql(HikariDataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute(sql);
        }
    }
}
