package io.wharf.copy.queue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.sql.DataSource;

import io.quarkus.scheduler.Scheduled;
import io.wharf.common.Actor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The pause switch, shared by every instance through s3_migration_control. A change is announced with
 * NOTIFY, which every worker hears at once; each also reads the switch every second, so a missed
 * notification costs at most a second.
 */
@ApplicationScoped
public class CopyControl {

    private final DataSource dataSource;
    private volatile boolean paused;
    private final List<Runnable> onResume = new CopyOnWriteArrayList<>();

    public CopyControl(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public boolean paused() {
        return paused;
    }

    /** Called when this instance sees the switch go from paused to running. */
    public void onResume(Runnable r) {
        onResume.add(r);
    }

    private void update(boolean now) {
        boolean was = paused;
        paused = now;
        if (was && !now) {
            onResume.forEach(Runnable::run);
        }
    }

    public boolean set(boolean pause, Actor actor) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE s3_migration_control SET paused = ?, updated_at = now(), updated_by = ? WHERE id");
             PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, 'control')")) {
            ps.setBoolean(1, pause);
            ps.setString(2, actor.kind() + ":" + actor.userId());
            ps.executeUpdate();
            notify.setString(1, JobRepository.CHANNEL);
            notify.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("Switching the migration failed", e);
        }
        update(pause);
        return pause;
    }

    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    public void refresh() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT paused FROM s3_migration_control WHERE id");
             ResultSet rs = ps.executeQuery()) {
            update(rs.next() && rs.getBoolean(1));
        } catch (SQLException e) {
            // the database is away: keep the last known state; workers cannot claim anything either
        }
    }
}
