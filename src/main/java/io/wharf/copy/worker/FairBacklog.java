package io.wharf.copy.worker;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.wharf.copy.Job;
import io.wharf.copy.fetch.Throttle;

/**
 * The claimed jobs of one worker waiting for a copy thread, by owner (a tenant, or the operator's scan). A free
 * copy thread takes a job of the owner with the fewest copies running (ties in turn), so the copy slots are
 * shared fairly: one owner's slow files hold only that owner's share once others have work. A job starts only
 * with a free slot of its legacy origin ({@link Throttle#tryHost}); one whose origin is busy stays here without
 * a thread, and one whose origin's circuit is open is put aside to go back to the queue untried. Owners only
 * have an entry while they have jobs here or copying, so the state stays as small as the work in hand.
 */
final class FairBacklog {

    /** A job waiting here: its origin (whose slot it takes), and since when it waits. */
    record Entry(Job job, String origin, long since) {
    }

    private static final class Owner {
        final ArrayDeque<Entry> waiting = new ArrayDeque<>();
        int copying;
    }

    private final Map<UUID, Owner> owners = new LinkedHashMap<>();
    private final List<Entry> shut = new ArrayList<>();
    private final Throttle throttle;
    private final Circuits circuits;
    private int waiting;

    FairBacklog(Throttle throttle, Circuits circuits) {
        this.throttle = throttle;
        this.circuits = circuits;
    }

    synchronized void add(Job j) {
        owners.computeIfAbsent(j.owner(), o -> new Owner()).waiting.add(new Entry(j, Throttle.origin(j.oldUrl()), System.nanoTime()));
        waiting++;
        notifyAll();
    }

    /** The next job that may start now, its origin's slot taken; waits up to {@code ms} for one, else null. */
    synchronized Entry take(long ms) throws InterruptedException {
        long deadline = System.nanoTime() + ms * 1_000_000;
        while (true) {
            Entry e = pick();
            if (e != null) {
                return e;
            }
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
    }

    private Entry pick() {
        if (waiting == 0) {
            return null;
        }
        // stable sort: among owners with as many copies running, the one served longest ago comes first
        List<Map.Entry<UUID, Owner>> order = new ArrayList<>(owners.entrySet());
        order.sort(Comparator.comparingInt(o -> o.getValue().copying));
        for (Map.Entry<UUID, Owner> o : order) {
            for (Iterator<Entry> it = o.getValue().waiting.iterator(); it.hasNext();) {
                Entry e = it.next();
                if (circuits.hostShut(e.origin())) {
                    it.remove();
                    waiting--;
                    shut.add(e);
                    continue;
                }
                if (!throttle.tryHost(e.origin())) {
                    circuits.hostUntried(e.origin()); // let through as a probe, but its origin is busy: the next job probes
                    continue;
                }
                it.remove();
                waiting--;
                o.getValue().copying++;
                owners.remove(o.getKey()); // to the end: served last among equals next time
                owners.put(o.getKey(), o.getValue());
                return e;
            }
        }
        forgetIdle();
        return null;
    }

    /** The copy of a taken job ended (whatever came of it): its slots are free. */
    synchronized void done(Entry e) {
        throttle.releaseHost(e.origin());
        Owner o = owners.get(e.job().owner());
        if (o != null) {
            o.copying--;
        }
        forgetIdle();
        notifyAll();
    }

    /** Jobs put aside because their origin's circuit is open. */
    synchronized List<Entry> takeShut() {
        List<Entry> out = new ArrayList<>(shut);
        shut.clear();
        return out;
    }

    /** Every waiting job (pause, shutdown, S3 down). */
    synchronized List<Job> drain() {
        return remove(Long.MIN_VALUE);
    }

    /** The jobs waiting longer than {@code nanos} (their origin busy all that time): they go back instead of holding a lease. */
    synchronized List<Job> waitedLongerThan(long nanos) {
        return remove(System.nanoTime() - nanos);
    }

    private List<Job> remove(long since) {
        List<Job> out = new ArrayList<>();
        for (Owner o : owners.values()) {
            for (Iterator<Entry> it = o.waiting.iterator(); it.hasNext();) {
                Entry e = it.next();
                if (since == Long.MIN_VALUE || e.since() - since < 0) {
                    it.remove();
                    waiting--;
                    out.add(e.job());
                }
            }
        }
        forgetIdle();
        return out;
    }

    private void forgetIdle() {
        owners.values().removeIf(o -> o.copying <= 0 && o.waiting.isEmpty());
    }

    synchronized int size() {
        return waiting;
    }

    /** Owners with at least {@code cap} jobs waiting here: the next claim takes none of theirs. */
    synchronized Set<UUID> full(int cap) {
        return owners.entrySet().stream().filter(o -> o.getValue().waiting.size() >= cap).map(Map.Entry::getKey).collect(Collectors.toSet());
    }

    /** Jobs waiting of the owners that are not full: the ones a claim would add to. */
    synchronized int claimable(int cap) {
        return owners.values().stream().mapToInt(o -> o.waiting.size()).filter(n -> n < cap).sum();
    }
}
