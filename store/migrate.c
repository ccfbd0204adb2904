/* The schema, as an array of migrations indexed by PRAGMA user_version:
 * migrations[v] takes a database from version v to v + 1, inside its own
 * transaction together with the version bump, so a crash leaves either the
 * old or the new schema.  Never edit a released migration; append one.
 *
 * Conventions of the schema (SPEC §4): times are INTEGER UTC seconds, money
 * INTEGER fen, source ids TEXT, NULL means "the source did not say".
 *
 * platforms         one row per platform ever added; `remove` clears tracked
 * platform_names    aliases (kind 'alias'); key = text_name_key(value), unique
 *                   per kind.  A name key and an alias key never belong to two
 *                   platforms (checked by store_platform_add).
 * platform_domains  lowercased hosts, each owned by one platform
 * merchants         a platform's ids on a complaint site (黑猫 couid); pinned =
 *                   given by the user, else discovered by company search
 * complaints        keyed by (source, source_id); raw_status as given and the
 *                   normalised status; category = the SCORING §1 key
 *                   ('runaway' ...); detail_* say when the detail page was
 *                   read and which raw status it saw; excluded_reason marks a
 *                   manual exclusion (SCORING §8); complainant_tag is a 60-bit
 *                   hash of complainant_key (0: none) for compact counting
 * complaint_events  a complaint's timeline, replaced as a whole per detail page
 * icp_answers       every distinct registry answer per domain (state, reason,
 *                   fingerprint of the records); queried_at moves while the
 *                   answer stays the same.  View icp_latest = latest per domain.
 * icp_records       the website records of one answer; licence_key is the main
 *                   licence number as compared across domains
 * site_probes       each fetch of a platform's home page and its ICP claim
 * fetch_state       per platform and source: last attempt/success/error, cursor,
 *                   outcome of the latest attempt ('ok', 'partial', 'failed',
 *                   'blocked'; NULL before schema 2: read from the failure count)
 * walk_state        per platform, source and list (merchant id, or "search:"
 *                   + name): the next page to read and whether the latest walk
 *                   reached the end, so an interrupted walk is resumed
 * raw_bodies        archived response bodies, once per distinct SHA-256;
 *                   encoding 'identity' (room for compression later)
 * raw_responses     every archived response (for reparse and conditional GET)
 * score_history     every score computed, for trends across refreshes */
#include <stdio.h>

#include "err.h"
#include "internal.h"

/* Every column of complaints, for the rebuild of schema 3. */
#define V3_COLUMNS                                                                          \
	"id, source, source_id, platform_id, merchant_id, merchant_name, title, summary,"  \
	" issue, appeal, amount_fen, raw_status, status, category, filed_at, url,"         \
	" complainant_key, complainant_tag, satisfaction, first_reply_at, user_confirmed,"  \
	" auto_completed, detail_kind, detail_fetched_at, detail_status_seen,"             \
	" first_seen_at, updated_at, excluded_reason, excluded_at"

static const char *const migrations[] = {
	/* 0 -> 1 */
	"CREATE TABLE platforms ("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL UNIQUE,"
	" name_key TEXT NOT NULL UNIQUE,"
	" tracked INTEGER NOT NULL DEFAULT 1 CHECK (tracked IN (0, 1)),"
	" added_at INTEGER NOT NULL,"
	" removed_at INTEGER);"
	"CREATE TABLE platform_names ("
	" platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,"
	" kind TEXT NOT NULL DEFAULT 'alias' CHECK (kind IN ('alias')),"
	" value TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" UNIQUE (kind, key));"
	"CREATE INDEX platform_names_platform ON platform_names(platform_id);"
	"CREATE TABLE platform_domains ("
	" platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,"
	" domain TEXT NOT NULL UNIQUE CHECK (domain = lower(domain) AND domain <> ''));"
	"CREATE INDEX platform_domains_platform ON platform_domains(platform_id);"
	"CREATE TABLE merchants ("
	" platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,"
	" source TEXT NOT NULL,"
	" merchant_id TEXT NOT NULL,"
	" name TEXT,"
	" pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),"
	" discovered_at INTEGER NOT NULL,"
	" UNIQUE (source, merchant_id, platform_id));"
	"CREATE INDEX merchants_platform ON merchants(platform_id, source);"
	"CREATE TABLE complaints ("
	" id INTEGER PRIMARY KEY,"
	" source TEXT NOT NULL,"
	" source_id TEXT NOT NULL,"
	" platform_id INTEGER REFERENCES platforms(id),"
	" merchant_id TEXT,"
	" merchant_name TEXT,"
	" title TEXT,"
	" summary TEXT,"
	" issue TEXT,"
	" appeal TEXT,"
	" amount_fen INTEGER,"
	" raw_status INTEGER,"
	" status TEXT NOT NULL CHECK (status IN"
	"  ('unknown', 'unanswered', 'answered', 'resolved', 'closed')),"
	" category TEXT NOT NULL,"
	" filed_at INTEGER NOT NULL DEFAULT 0,"
	" url TEXT,"
	" complainant_key TEXT,"
	" complainant_tag INTEGER NOT NULL DEFAULT 0,"
	" satisfaction INTEGER CHECK (satisfaction BETWEEN 0 AND 10),"
	" first_reply_at INTEGER,"
	" user_confirmed INTEGER NOT NULL DEFAULT 0,"
	" auto_completed INTEGER NOT NULL DEFAULT 0,"
	" detail_kind TEXT,"
	" detail_fetched_at INTEGER,"
	" detail_status_seen INTEGER,"
	" first_seen_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" excluded_reason TEXT,"
	" excluded_at INTEGER,"
	" UNIQUE (source, source_id));"
	/* Per-platform walks, newest first (rowid breaks ties). */
	"CREATE INDEX complaints_platform_filed ON complaints(platform_id, filed_at);"
	/* The scoring facts of complaints not excluded, clustered by platform:
	 * scoring and the counts read this covering index only, never the
	 * scattered table rows (report over 1M complaints).  excluded_reason
	 * is in it, always NULL, only so SQLite sees the partial index as
	 * covering. */
	"CREATE INDEX complaints_facts ON complaints(platform_id, filed_at, status, category,"
	" first_reply_at, satisfaction, source, complainant_tag, detail_kind, excluded_reason)"
	" WHERE excluded_reason IS NULL;"
	"CREATE INDEX complaints_excluded ON complaints(platform_id, filed_at)"
	" WHERE excluded_reason IS NOT NULL;"
	"CREATE INDEX complaints_merchant ON complaints(source, merchant_id);"
	"CREATE TABLE complaint_events ("
	" complaint_id INTEGER NOT NULL REFERENCES complaints(id) ON DELETE CASCADE,"
	" seq INTEGER NOT NULL,"
	" actor TEXT NOT NULL CHECK (actor IN ('unknown', 'user', 'merchant', 'platform')),"
	" actor_key TEXT,"
	" event TEXT,"
	" at INTEGER,"
	" text TEXT,"
	" PRIMARY KEY (complaint_id, seq)) WITHOUT ROWID;"
	"CREATE TABLE icp_answers ("
	" id INTEGER PRIMARY KEY,"
	" domain TEXT NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN ('filed', 'not_filed', 'unknown')),"
	" reason TEXT,"
	" fingerprint TEXT NOT NULL,"
	" first_at INTEGER NOT NULL,"
	" queried_at INTEGER NOT NULL);"
	"CREATE INDEX icp_answers_domain ON icp_answers(domain, id);"
	"CREATE TABLE icp_records ("
	" answer_id INTEGER NOT NULL REFERENCES icp_answers(id) ON DELETE CASCADE,"
	" ord INTEGER NOT NULL,"
	" domain TEXT,"
	" unit_name TEXT,"
	" nature INTEGER NOT NULL DEFAULT 0,"
	" nature_name TEXT,"
	" main_licence TEXT,"
	" licence_key TEXT,"
	" service_licence TEXT,"
	" limit_access TEXT,"
	" update_record_time TEXT,"
	" domain_id TEXT,"
	" main_id TEXT,"
	" service_id TEXT,"
	" content_type_name TEXT,"
	" service_name TEXT,"
	" home_url TEXT,"
	" PRIMARY KEY (answer_id, ord));"
	"CREATE INDEX icp_records_licence ON icp_records(licence_key);"
	"CREATE VIEW icp_latest AS SELECT a.* FROM icp_answers a"
	" WHERE a.id = (SELECT max(b.id) FROM icp_answers b WHERE b.domain = a.domain);"
	"CREATE TABLE site_probes ("
	" id INTEGER PRIMARY KEY,"
	" platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,"
	" domain TEXT NOT NULL,"
	" probed_at INTEGER NOT NULL,"
	" http_status INTEGER,"
	" ok INTEGER NOT NULL,"
	" error TEXT,"
	" title TEXT,"
	" charset TEXT,"
	" icp_raw TEXT,"
	" icp_canonical TEXT,"
	" icp_main TEXT,"
	" icp_kind INTEGER NOT NULL DEFAULT 0,"
	" icp_year INTEGER,"
	" icp_placeholder INTEGER NOT NULL DEFAULT 0,"
	" police_number TEXT);"
	"CREATE INDEX site_probes_platform ON site_probes(platform_id, domain, probed_at);"
	"CREATE INDEX site_probes_platform_at ON site_probes(platform_id, probed_at);"
	"CREATE TABLE fetch_state ("
	" platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,"
	" source TEXT NOT NULL,"
	" last_attempt_at INTEGER,"
	" last_success_at INTEGER,"
	" last_error TEXT,"
	" last_error_at INTEGER,"
	" cursor TEXT,"
	" consecutive_failures INTEGER NOT NULL DEFAULT 0,"
	" PRIMARY KEY (platform_id, source)) WITHOUT ROWID;"
	"CREATE TABLE raw_bodies ("
	" id INTEGER PRIMARY KEY,"
	" sha256 TEXT NOT NULL UNIQUE,"
	" encoding TEXT NOT NULL DEFAULT 'identity',"
	" size INTEGER NOT NULL,"
	" body BLOB NOT NULL);"
	"CREATE TABLE raw_responses ("
	" id INTEGER PRIMARY KEY,"
	" source TEXT NOT NULL,"
	" kind TEXT,"
	" url TEXT NOT NULL,"
	" status INTEGER NOT NULL,"
	" fetched_at INTEGER NOT NULL,"
	" content_type TEXT,"
	" etag TEXT,"
	" last_modified TEXT,"
	" body_id INTEGER NOT NULL REFERENCES raw_bodies(id),"
	" platform_id INTEGER REFERENCES platforms(id) ON DELETE SET NULL);"
	"CREATE INDEX raw_responses_url ON raw_responses(url, status, id);"
	"CREATE INDEX raw_responses_source ON raw_responses(source, id);"
	"CREATE TABLE score_history ("
	" id INTEGER PRIMARY KEY,"
	" platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,"
	" at INTEGER NOT NULL,"
	" score REAL,"
	" grade TEXT,"
	" verdict TEXT,"
	" trend_level TEXT,"
	" formula TEXT);"
	"CREATE INDEX score_history_platform ON score_history(platform_id, at, id);",
	/* 1 -> 2: resumable walks, the outcome of a source's latest attempt */
	"ALTER TABLE fetch_state ADD COLUMN outcome TEXT;"
	"CREATE TABLE walk_state ("
	" platform_id INTEGER NOT NULL REFERENCES platforms(id) ON DELETE CASCADE,"
	" source TEXT NOT NULL,"
	" key TEXT NOT NULL,"
	" next_page INTEGER NOT NULL,"
	" cursor TEXT,"
	" complete INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" PRIMARY KEY (platform_id, source, key)) WITHOUT ROWID;",
	/* 2 -> 3: complaints rebuilt without the status CHECK, which SQLite
	 * evaluated by building a temporary b-tree for every row written (a
	 * third of an INSERT); the one write path (store_complaint_upsert)
	 * writes only the status vocabulary (record.h).  complaints_merchant
	 * goes: no query reads it, and every row paid for it.  Same columns,
	 * same ids (the timelines point at them); store_migrate turns foreign
	 * keys off around the rebuild and checks them before the commit. */
	"CREATE TABLE complaints_v3 ("
	" id INTEGER PRIMARY KEY,"
	" source TEXT NOT NULL,"
	" source_id TEXT NOT NULL,"
	" platform_id INTEGER REFERENCES platforms(id),"
	" merchant_id TEXT,"
	" merchant_name TEXT,"
	" title TEXT,"
	" summary TEXT,"
	" issue TEXT,"
	" appeal TEXT,"
	" amount_fen INTEGER,"
	" raw_status INTEGER,"
	" status TEXT NOT NULL,"
	" category TEXT NOT NULL,"
	" filed_at INTEGER NOT NULL DEFAULT 0,"
	" url TEXT,"
	" complainant_key TEXT,"
	" complainant_tag INTEGER NOT NULL DEFAULT 0,"
	" satisfaction INTEGER CHECK (satisfaction BETWEEN 0 AND 10),"
	" first_reply_at INTEGER,"
	" user_confirmed INTEGER NOT NULL DEFAULT 0,"
	" auto_completed INTEGER NOT NULL DEFAULT 0,"
	" detail_kind TEXT,"
	" detail_fetched_at INTEGER,"
	" detail_status_seen INTEGER,"
	" first_seen_at INTEGER NOT NULL,"
	" updated_at INTEGER NOT NULL,"
	" excluded_reason TEXT,"
	" excluded_at INTEGER,"
	" UNIQUE (source, source_id));"
	"INSERT INTO complaints_v3 (" V3_COLUMNS ") SELECT " V3_COLUMNS " FROM complaints"
	" ORDER BY id;"
	"DROP TABLE complaints;"
	"ALTER TABLE complaints_v3 RENAME TO complaints;"
	"CREATE INDEX complaints_platform_filed ON complaints(platform_id, filed_at);"
	"CREATE INDEX complaints_facts ON complaints(platform_id, filed_at, status, category,"
	" first_reply_at, satisfaction, source, complainant_tag, detail_kind, excluded_reason)"
	" WHERE excluded_reason IS NULL;"
	"CREATE INDEX complaints_excluded ON complaints(platform_id, filed_at)"
	" WHERE excluded_reason IS NOT NULL;",
};

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))
_Static_assert(N_MIGRATIONS == STORE_SCHEMA_VERSION, "one migration per schema version");

/* The version bumps: PRAGMA takes no bound values, so one constant string
 * per version (never a formatted one). */
static const char *const set_version[] = {
	"PRAGMA user_version = 1",
	"PRAGMA user_version = 2",
	"PRAGMA user_version = 3",
};
_Static_assert(sizeof(set_version) / sizeof(set_version[0]) == STORE_SCHEMA_VERSION,
	       "one version bump per migration");

/* sqlite3_exec callback of PRAGMA foreign_key_check: any row is a
 * violation. */
static int
fk_violation(void *found, int ncol, char **vals, char **cols)
{
	(void)ncol;
	(void)vals;
	(void)cols;
	*(int *)found = 1;
	return 1;
}

/* Runs migrations[v] and the version bump in one transaction; 0 or -1. */
static int
migrate_one(struct store *s, int v, char *err)
{
	char *msg = NULL;
	int bad_fk = 0;
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(s->db, migrations[v], NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(s->db, set_version[v], NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	/* A rebuilt table (schema 3) must leave every reference whole. */
	if (sqlite3_exec(s->db, "PRAGMA foreign_key_check", fk_violation, &bad_fk, NULL) !=
		    SQLITE_OK &&
	    !bad_fk)
		goto fail;
	if (bad_fk) {
		set_err(err, "migrating the database to schema version %d: a foreign key "
			     "would break", v + 1);
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		return -1;
	}
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK)
		goto fail;
	return 0;
fail:
	set_err(err, "migrating the database to schema version %d: %s", v + 1,
		msg ? msg : sqlite3_errmsg(s->db));
	sqlite3_free(msg);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Runs the migrations from the opened version up; 0 or -1.  Foreign keys
 * are off meanwhile (a PRAGMA that only works outside a transaction): a
 * table rebuilt by DROP and RENAME would otherwise cascade-delete what
 * points at it. */
int
store_migrate(struct store *s, char *err)
{
	return store_migrate_to(s, N_MIGRATIONS, err);
}

/* Runs the migrations up to version target (the tests make old schemas with
 * it); 0 or -1. */
int
store_migrate_to(struct store *s, int target, char *err)
{
	if (target > N_MIGRATIONS)
		target = N_MIGRATIONS;
	if (s->version_opened >= target)
		return 0;
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = OFF", NULL, NULL, NULL) != SQLITE_OK)
		return set_err(err, "migrating the database: %s", sqlite3_errmsg(s->db));
	int rc = 0;
	for (int v = s->version_opened; v < target && rc == 0; v++)
		rc = migrate_one(s, v, err);
	if (sqlite3_exec(s->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK &&
	    rc == 0)
		return set_err(err, "migrating the database: %s", sqlite3_errmsg(s->db));
	return rc;
}
