"""Request bodies for bench/bma-ingest and the pgbench scripts that write the same rows.

Usage: python3 bench/lib/bma_bodies.py OUT_DIR TENANT_ID API_KEY PHOTO_HOST JPEG JPEG JPEG

Writes, into OUT_DIR:
  bma-url.json      (a) 3 records x 2 external URL images     } request bodies with @ID@ where the
  bma-inline.json   (b) 1 record x 3 inline base64 JPEGs      } external_transaction_id goes (wrk fills it)
  bma-url.sql       pgbench: the rows Wharf writes for (a), in one transaction
  bma-inline.sql    pgbench: the rows Wharf writes for (b), the image bytes as bytea, in one transaction

The SQL mirrors BmaRepository.INSERT (transactions, transaction_records with the file ids in images, files,
s3_migration_log), AuditService (audit_logs) and BmaActionLog (action_logs) with the same JSON Wharf stores,
so both sides write the same rows of the same size (bench/bma-ingest's peer). The peer does it all in one
transaction; Wharf commits its action_logs row on its own (so that it survives a rollback) and reads the
transaction id once before writing, so it commits twice per call where the peer commits once. Both files
are generated from one description of the transaction, so the bodies and the SQL cannot drift apart.
"""
import base64
import hashlib
import json
import sys

out, tenant, api_key, photo_host = sys.argv[1:5]
jpegs = [open(p, "rb").read() for p in sys.argv[5:8]]
key_prefix = api_key.split("_")[1]  # wharf_<prefix>_<secret>: audit_logs keeps the prefix
DATE = "2025-11-07T09:30:00+07:00"
TX = {
    "location": {"name": "Bang Rak 4", "address": "Charoen Krung Rd, Bang Rak, Bangkok", "latitude": 13.72, "longitude": 100.51},
    "collected_by": {"id": "EMP-42", "name": "Somchai"},
    "notes": "Weekly pickup, district collection point",
}
MATERIALS = [("PET bottles", 12.5, 87.5), ("Cardboard", 30.0, 60.0), ("Aluminium cans", 4.2, 168.0)]
ID = "@ID@"


def record(i, images):
    m, q, p = MATERIALS[i]
    return {"material": m, "quantity": q, "unit": "kg", "price": p, "currency": "THB",
            "observation": {"condition": "clean", "contamination_pct": 2 + i, "bagged": True}, "images": images}


def body(records):
    return {"external_transaction_id": ID, "transaction_date": DATE, **TX, "records": records}


def sql_text(value):
    """A JSON value as an SQL literal; pgbench replaces :names in it (the ids) before sending."""
    return "'" + json.dumps(value, separators=(", ", ": ")).replace("'", "''") + "'"


def jsonb(value):
    return sql_text(value) + "::jsonb"


tx_data = {"transaction_date": DATE, **TX}  # what BmaParser keeps as transaction_data
CONTENT_SHA = "'" + "ab" * 32 + "'"  # Wharf stores a SHA-256 of the canonical body; its value does not matter here

# ---- (a) 3 records x 2 external URLs ----
url_records = [record(i, [{"url": f"http://{photo_host}/photos/{ID}/r{i}-{j}.jpg"} for j in range(2)]) for i in range(3)]
with open(f"{out}/bma-url.json", "w") as f:
    json.dump(body(url_records), f)

# ---- (b) 1 record x 3 inline JPEGs ----
inline_images = [{"data": base64.b64encode(b).decode(), "content_type": "image/jpeg", "filename": f"r0-{j}.jpg"} for j, b in enumerate(jpegs)]
with open(f"{out}/bma-inline.json", "w") as f:
    json.dump(body([record(0, inline_images)]), f)


def script(kind, records, files_per_record, file_columns, file_values, extra_sql, logged_records, migration_jobs):
    """One pgbench transaction writing what Wharf writes for one request with these records."""
    n_files = len(records) * files_per_record
    fid = [f":f{k}" for k in range(n_files)]
    lines = [
        "BEGIN;",
        # Wharf's external ids grow per connection; txid_current() grows too and is unique
        "INSERT INTO transactions (tenant_id, external_transaction_id, transaction_date, status, transaction_data, content_sha256)",
        f"VALUES ('{tenant}', 'pgb-{kind}-' || txid_current(), '{DATE}', 'received', {jsonb(tx_data)}, {CONTENT_SHA})",
        "ON CONFLICT (tenant_id, external_transaction_id) DO NOTHING RETURNING id AS tx, external_transaction_id AS ext \\gset",
        # ids from the same sequences Wharf draws them from
        "SELECT " + ", ".join([f"nextval(pg_get_serial_sequence('transaction_records', 'id')) AS r{i}" for i in range(len(records))]
                              + [f"nextval(pg_get_serial_sequence('files', 'id')) AS f{k}" for k in range(n_files)]) + " \\gset",
        "INSERT INTO transaction_records (id, transaction_id, record_index, record_data, images) VALUES",
        ",\n".join(f"  (:r{i}, :tx, {i}, {jsonb({k: v for k, v in r.items() if k != 'images'})}, "
                   f"'[{', '.join(fid[i * files_per_record:(i + 1) * files_per_record])}]'::jsonb)" for i, r in enumerate(records)) + ";",
        "INSERT INTO files (id, tenant_id, " + file_columns + ", observation, file_type, related_entity_type, related_entity_id) VALUES",
        ",\n".join(f"  ({fid[i * files_per_record + j]}, '{tenant}', {file_values(i, j)}, {jsonb(r['observation'])}, "
                   f"'transaction_record_image', 'transaction_record', :r{i})"
                   for i, r in enumerate(records) for j in range(files_per_record)) + ";",
    ] + extra_sql(fid) + [
        "INSERT INTO audit_logs (tenant_id, user_id, action, resource_type, resource_id, changes, ip_address, user_agent, api_key_prefix, actor_type)",
        f"VALUES ('{tenant}', NULL, 'create', 'bma_transaction', ':ext', "
        + jsonb({"after": {"records": len(records), "file_ids": "@FILES@", "migration_jobs": migration_jobs, "transaction_id": "@TX@",
                           "transaction_date": "2025-11-07T09:30+07:00", "external_transaction_id": ":ext"}, "before": None})
        + f", '127.0.0.1', 'wrk', '{key_prefix}', 'client');",
        "INSERT INTO action_logs (tenant_id, action_type, provider_name, request_payload, response_data, status, execution_time_ms)",
        f"VALUES ('{tenant}', 'bma_transaction', 'bma', {jsonb(body(logged_records)).replace(ID, ':ext')}, "
        + jsonb({"status": 201, "file_ids": "@FILES@", "transaction_id": "@TX@"}) + ", 'success', 12);",
        "COMMIT;",
    ]
    return "\n".join(lines).replace('"@FILES@"', "[" + ", ".join(fid) + "]").replace('"@TX@"', ":tx") + "\n"


def url_files(i, j):
    return f"'http://{photo_host}/photos/' || ':ext' || '/r{i}-{j}.jpg', 'ext'"


def url_jobs(fid):
    # one pending migration job per external image, as Wharf queues them
    return ["INSERT INTO s3_migration_log (table_name, record_id, file_id, source_column, old_url, migration_status) VALUES",
            ",\n".join(f"  ('files', files_record_uuid({f}), {f}, 'url', 'http://{photo_host}/photos/' || ':ext' || '/r{k // 2}-{k % 2}.jpg', 'pending')"
                       for k, f in enumerate(fid)) + "\nON CONFLICT DO NOTHING;"]


with open(f"{out}/bma-url.sql", "w") as f:
    f.write(script('url', url_records, 2, "url, source", url_files, url_jobs, url_records, 6))

shas = [hashlib.sha256(b).hexdigest() for b in jpegs]


def inline_files(i, j):
    key = f"'ingest/{tenant}/' || md5(':ext') || '/0-{j}-{shas[j][:16]}.jpg'"
    return (f"'https://wharf-files.s3.amazonaws.com/' || {key}, {key}, 'wharf-files', 's3', 'r0-{j}.jpg', 'image/jpeg', "
            f"{len(jpegs[j])}, '{shas[j]}'")


def inline_bytes(fid):
    # the bytes themselves, sent base64 as Wharf receives them, decoded and stored by the database
    return ["INSERT INTO bench_image_bytes (file_id, bytes) VALUES",
            ",\n".join(f"  ({fid[j]}, decode('{inline_images[j]['data']}', 'base64'))" for j in range(3)) + ";"]


logged = [record(0, [{"data": {"bytes": len(b), "sha256": s}, "content_type": "image/jpeg", "filename": f"r0-{j}.jpg"}
                     for j, (b, s) in enumerate(zip(jpegs, shas))])]
with open(f"{out}/bma-inline.sql", "w") as f:
    f.write(script('inline', [record(0, inline_images)], 3,
                   "url, s3_key, s3_bucket, source, original_filename, content_type, size_bytes, checksum_sha256",
                   inline_files, inline_bytes, logged, 0))
