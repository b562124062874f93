package io.wharf.bma;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.wharf.audit.AuditService;
import io.wharf.common.Actor;
import io.wharf.common.error.ErrorCode;
import io.wharf.common.error.WharfException;
import io.wharf.common.web.BodyLimits;
import io.wharf.storage.BucketUrls;
import io.wharf.storage.UploadRepository;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Stores a posted BMA transaction whole or not at all, idempotently. Everything that can be checked is
 * checked first (fields, image types, URL hosts, objects, uploads), outside any transaction; inline images
 * are then written to S3 under keys fixed by tenant, transaction and image content, so a retry overwrites
 * rather than duplicates; one short transaction then claims the uploads and writes every row. A duplicate of
 * a stored transaction is answered from it (200), a conflicting one refused (409). When the transaction
 * fails, the objects it wrote are deleted unless another request or a stored row needs them.
 */
@ApplicationScoped
public class BmaIngestService {

    static final String ENDPOINT = "POST /api/integration/bma/transaction";
    static final String RESOURCE = "bma_transaction";

    /** The answer: its status, its JSON, where the transaction can be read, and (for the action log) what it stored. */
    public record Outcome(int status, String json, String location, Long transactionId, List<Long> fileIds) {

        Outcome(int status, String json, String location) {
            this(status, json, location, null, null);
        }

        static Outcome of(int status, String json, String location, BmaViews.Transaction view) {
            return new Outcome(status, json, location, view.transactionId(),
                    view.records().stream().flatMap(r -> r.images().stream()).map(BmaViews.Image::fileId).toList());
        }
    }

    /** Rolls the transaction back when another request stored an answer for the same Idempotency-Key first. */
    private static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super(null, null, false, false);
        }
    }

    private final BmaParser parser;
    private final ImageVetting vetting;
    private final InlineObjects inline;
    private final BmaRepository repository;
    private final BmaTransactionService reads;
    private final IdempotencyKeys keys;
    private final UploadRepository uploads;
    private final AuditService audit;
    private final BmaActionLog actionLog;
    private final ObjectMapper mapper;
    private final BmaConfig config;
    private final long maxBodyBytes;
    private final S3Calls s3;

    BmaIngestService(ImageVetting vetting, InlineObjects inline, BmaRepository repository, BmaTransactionService reads, IdempotencyKeys keys,
            UploadRepository uploads, AuditService audit, BmaActionLog actionLog, ObjectMapper mapper, BmaConfig config, BodyLimits bodyLimits,
            BucketUrls bucketUrls, S3Calls s3) {
        this.s3 = s3;
        this.parser = new BmaParser(config, bucketUrls);
        this.vetting = vetting;
        this.inline = inline;
        this.repository = repository;
        this.reads = reads;
        this.keys = keys;
        this.uploads = uploads;
        this.audit = audit;
        this.actionLog = actionLog;
        this.mapper = mapper;
        this.config = config;
        this.maxBodyBytes = bodyLimits.bma().maxBodySize().asLongValue();
    }

    /** The whole call, recorded in action_logs whatever its outcome. */
    public Outcome ingest(UUID tenant, Actor actor, String contentType, byte[] body, String idempotencyKey) {
        long started = System.nanoTime();
        JsonNode tree = null;
        Ingest[] parsed = { null };
        Outcome outcome = null;
        RuntimeException failure = null;
        try {
            if (contentType == null
                    || !contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).matches("application/([a-z0-9.+-]+\\+)?json")) {
                throw new WharfException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Send the transaction as application/json.");
            }
            tree = BmaJson.read(mapper, body, maxBodyBytes);
            outcome = ingest(tenant, actor, tree, idempotencyKey, parsed);
            return outcome;
        } catch (RuntimeException e) {
            failure = e;
            throw e;
        } finally {
            actionLog.record(tenant, body, tree, parsed[0], outcome, failure, System.nanoTime() - started);
        }
    }

    private Outcome ingest(UUID tenant, Actor actor, JsonNode tree, String key, Ingest[] parsed) {
        if (key != null && !key.matches("[\\x21-\\x7e]{1,255}")) {
            throw WharfException.invalid("Idempotency-Key", "must be 1 to 255 visible ASCII characters");
        }
        FieldErrors errors = new FieldErrors();
        Ingest ingest = parser.parse(tree, errors);
        errors.throwIfAny();
        parsed[0] = ingest;
        if (key != null) {
            Optional<Outcome> replay = replay(tenant, key, ingest);
            if (replay.isPresent()) {
                return replay.get();
            }
        }
        Optional<BmaRepository.Existing> existing = repository.existing(tenant, ingest.externalId());
        if (existing.isPresent()) {
            return remember(tenant, key, ingest, sameOrConflict(tenant, ingest, existing.get()));
        }
        S3Calls.Deadline s3Deadline = s3.start(); // one for every S3 call of the request
        List<StoredImage> images = vetting.vet(tenant, ingest, errors, s3Deadline);
        errors.throwIfAny();
        InlineObjects.Attempt attempt = inline.write(images, s3Deadline);
        Outcome stored;
        try {
            stored = QuarkusTransaction.requiringNew().call(() -> store(tenant, actor, ingest, images, attempt, key));
        } catch (KeyTaken e) {
            inline.abandon(attempt);
            return replay(tenant, key, ingest).orElseThrow(() -> new WharfException(ErrorCode.CONFLICT,
                    "Another request with this Idempotency-Key is being processed; try again."));
        } catch (RuntimeException e) {
            inline.abandon(attempt);
            throw e;
        }
        if (stored != null) {
            return stored;
        }
        // a concurrent request stored this transaction first; our objects are its objects if the content is the same
        inline.abandon(attempt);
        BmaRepository.Existing winner = repository.existing(tenant, ingest.externalId())
                .orElseThrow(() -> new IllegalStateException("transaction vanished after a conflict"));
        return remember(tenant, key, ingest, sameOrConflict(tenant, ingest, winner));
    }

    /** The rows, in the caller's new transaction; null when the transaction id is taken (nothing written). */
    private Outcome store(UUID tenant, Actor actor, Ingest ingest, List<StoredImage> images, InlineObjects.Attempt attempt, String key) {
        List<UUID> uploadIds = images.stream().map(StoredImage::uploadId).filter(Objects::nonNull).distinct().toList();
        if (!uploadIds.isEmpty()) {
            List<UUID> claimed = uploads.claim(tenant, uploadIds).stream().map(u -> u.id()).toList();
            if (claimed.size() < uploadIds.size()) {
                FieldErrors errors = new FieldErrors();
                images.stream().filter(i -> i.uploadId() != null && !claimed.contains(i.uploadId()))
                        .forEach(i -> errors.add("/records/" + i.record() + "/images/" + i.position() + "/upload_id",
                                "upload " + i.uploadId() + " expired or was removed meanwhile; upload the file again"));
                throw errors.toException();
            }
        }
        Optional<BmaRepository.Inserted> inserted = repository.insert(tenant, ingest, images);
        if (inserted.isEmpty()) {
            return null;
        }
        BmaViews.Transaction view = BmaAnswers.view(ingest, images, inserted.get());
        audit.record(tenant, actor, "create", RESOURCE, ingest.externalId(), null, BmaAnswers.auditSummary(view, inserted.get()));
        inline.committing(attempt);
        Outcome outcome = Outcome.of(201, json(view), location(ingest.externalId()), view);
        if (key != null && !keys.store(tenant, ENDPOINT, key, new IdempotencyKeys.Answer(ingest.contentSha256(), 201, outcome.json()),
                config.idempotencyTtl())) {
            throw new KeyTaken();
        }
        return outcome;
    }

    private Optional<Outcome> replay(UUID tenant, String key, Ingest ingest) {
        return keys.find(tenant, ENDPOINT, key, config.idempotencyTtl()).map(a -> {
            if (!a.requestSha256().equals(ingest.contentSha256())) {
                throw new WharfException(ErrorCode.IDEMPOTENCY_KEY_REUSED, "This Idempotency-Key was used within the last "
                        + config.idempotencyTtl().toHours() + " hours with a different request body; use a new key for a new request.");
            }
            return new Outcome(a.status(), a.body(), location(ingest.externalId()));
        });
    }

    /** With a key, the first answer is kept for replays; a request with another body under the same key then gets 422. */
    private Outcome remember(UUID tenant, String key, Ingest ingest, Outcome outcome) {
        if (key != null) {
            boolean stored = QuarkusTransaction.requiringNew().call(() -> keys.store(tenant, ENDPOINT, key,
                    new IdempotencyKeys.Answer(ingest.contentSha256(), outcome.status(), outcome.json()), config.idempotencyTtl()));
            if (!stored) {
                return replay(tenant, key, ingest).orElse(outcome);
            }
        }
        return outcome;
    }

    private Outcome sameOrConflict(UUID tenant, Ingest ingest, BmaRepository.Existing existing) {
        if (existing.contentSha256() == null) {
            throw new WharfException(ErrorCode.CONFLICT, "A transaction with external_transaction_id '" + ingest.externalId()
                    + "' exists already (stored before this API); it cannot be replaced.");
        }
        if (!existing.contentSha256().equals(ingest.contentSha256())) {
            throw new WharfException(ErrorCode.CONFLICT, "A transaction with external_transaction_id '" + ingest.externalId()
                    + "' exists already with different content; it is not changed. GET " + location(ingest.externalId()) + " shows it.",
                    Map.of("transaction_id", existing.id()));
        }
        BmaViews.Transaction stored = reads.get(tenant, ingest.externalId(), false);
        return Outcome.of(200, json(stored), location(ingest.externalId()), stored);
    }

    static String location(String externalId) {
        return "/api/integration/bma/transaction/"
                + URLEncoder.encode(externalId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private String json(Object view) {
        try {
            return mapper.writeValueAsString(view);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
