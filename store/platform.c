/* Platforms, their aliases and domains, and their merchant ids. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "host.h"
#include "err.h"
#include "i18n.h"
#include "internal.h"
#include "text.h"
#include "xalloc.h"

/* The other spelling of a domain: "www.x" <-> "x" (caller frees). */
static char *
www_variant(const char *d)
{
	if (strncmp(d, "www.", 4) == 0)
		return xstrdup(d + 4);
	return xasprintf("www.%s", d);
}

static const char SQL_BY_NAME_KEY[] =
	"SELECT id FROM platforms WHERE name_key = ?1"
	" UNION ALL SELECT platform_id FROM platform_names WHERE kind = 'alias' AND key = ?1"
	" LIMIT 1";

/* 1 and *id when a platform has this name key as name or alias, 0, -1. */
static int
find_by_name_key(struct store *s, const char *key, int64_t *id, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BY_NAME_KEY, err);
	if (!st)
		return -1;
	bind_text(st, 1, key);
	int r = stmt_step(s, st, "looking up a platform name", err);
	if (r == 1) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return r;
}

static const char SQL_BY_DOMAIN[] =
	"SELECT platform_id FROM platform_domains WHERE domain IN (?1, ?2)"
	" ORDER BY domain = ?1 DESC LIMIT 1";

/* 1 and *id when a platform owns the normalised domain d or its www variant. */
static int
find_by_domain(struct store *s, const char *d, int64_t *id, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_BY_DOMAIN, err);
	if (!st)
		return -1;
	char *alt = www_variant(d);
	bind_text(st, 1, d);
	bind_text(st, 2, alt);
	int r = stmt_step(s, st, "looking up a domain", err);
	if (r == 1) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	free(alt);
	return r;
}

static const char SQL_NAME_OF[] = "SELECT name, name_key, tracked FROM platforms WHERE id = ?1";

/* The name of platform id (caller frees), or "#id" when it cannot be read. */
static char *
name_of(struct store *s, int64_t id)
{
	char ignored[ERRBUF_SIZE];
	sqlite3_stmt *st = stmt_get(s, SQL_NAME_OF, ignored);
	char *name = NULL;
	if (st) {
		bind_i64(st, 1, id);
		if (stmt_step(s, st, "reading a platform", ignored) == 1) {
			name = col_dup(st, 0);
			sqlite3_reset(st);
		}
	}
	return name ? name : xasprintf("#%lld", (long long)id);
}

/* Returns 1 found / 0 not / -1; see store.h. */
int
store_platform_find(struct store *s, const char *key, int64_t *id, char *err)
{
	if (!key)
		return 0;
	char *nk = text_name_key(key);
	int r = 0;
	if (nk && *nk)
		r = find_by_name_key(s, nk, id, err);
	free(nk);
	if (r != 0)
		return r;
	char *d = host_normalise(key);
	if (d)
		r = find_by_domain(s, d, id, err);
	free(d);
	return r;
}

static const char SQL_PLATFORM_INSERT[] =
	"INSERT INTO platforms (name, name_key, tracked, added_at) VALUES (?1, ?2, 1, ?3)";
static const char SQL_PLATFORM_RETRACK[] =
	"UPDATE platforms SET tracked = 1, removed_at = NULL WHERE id = ?1 AND tracked = 0";
static const char SQL_ALIAS_INSERT[] =
	"INSERT OR IGNORE INTO platform_names (platform_id, kind, value, key)"
	" VALUES (?1, 'alias', ?2, ?3)";
static const char SQL_DOMAIN_INSERT[] =
	"INSERT OR IGNORE INTO platform_domains (platform_id, domain) VALUES (?1, ?2)";

static int
insert_alias(struct store *s, int64_t id, const char *value, const char *key, char *err)
{
	sqlite3_stmt *st = stmt_get(s, SQL_ALIAS_INSERT, err);
	if (!st)
		return -1;
	bind_i64(st, 1, id);
	bind_text(st, 2, value);
	bind_text(st, 3, key);
	return stmt_run(s, st, "adding an alias", err);
}

static int read_strings(struct store *s, const char *sql, int64_t id, char ***out, size_t *n,
			char *err);

static const char SQL_OWN_KEYS[] =
	"SELECT name_key FROM platforms WHERE id = ?1"
	" UNION SELECT key FROM platform_names WHERE platform_id = ?1 AND kind = 'alias'";
static const char SQL_UNOWNED_NAMED[] =
	"SELECT id, merchant_name FROM complaints WHERE platform_id IS NULL"
	" AND merchant_name IS NOT NULL";
static const char SQL_ADOPT[] = "UPDATE complaints SET platform_id = ?1 WHERE id = ?2";

/* A complaint that names a merchant no platform owns (a keyword hit let go
 * as another merchant's, or one of a deleted platform) becomes platform
 * id's once that merchant's name is its name or an alias: the hint "kmrep
 * add NAME --alias MERCHANT" then counts it at once, with no refresh (a
 * refresh would not read a known complaint's detail again).  Inside the
 * caller's transaction; the number adopted, or -1. */
static int
adopt_named_complaints(struct store *s, int64_t id, char *err)
{
	char **keys = NULL;
	size_t n_keys = 0;
	if (read_strings(s, SQL_OWN_KEYS, id, &keys, &n_keys, err) < 0)
		return -1;
	sqlite3_stmt *st = stmt_get(s, SQL_UNOWNED_NAMED, err);
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	int rc = st ? 1 : -1;
	while (rc == 1 && (rc = stmt_step(s, st, "reading unowned complaints", err)) == 1) {
		char *key = text_name_key(col_text(st, 1));
		for (size_t i = 0; i < n_keys; i++)
			if (!strcmp(key, keys[i])) {
				ids = xgrow(ids, &cap, n + 1, sizeof(*ids));
				ids[n++] = col_i64(st, 0, 0);
				break;
			}
		free(key);
	}
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!(st = stmt_get(s, SQL_ADOPT, err))) {
			rc = -1;
			break;
		}
		bind_i64(st, 1, id);
		bind_i64(st, 2, ids[i]);
		rc = stmt_run(s, st, "adopting a complaint", err);
	}
	free(ids);
	store_strv_free(keys, n_keys);
	return rc < 0 ? -1 : (int)n;
}

/* The merge-or-create part of store_platform_add, inside a transaction. */
static int
platform_add_tx(struct store *s, const char *name, const char *key, char **doms, size_t n_doms,
		const char *const *aliases, char **akeys, size_t n_aliases, int64_t now,
		int64_t *id_out, int *created, char *err)
{
	int64_t target = 0, found;
	int r = find_by_name_key(s, key, &target, err);
	if (r < 0)
		return -1;
	int name_known = r == 1;
	for (size_t i = 0; i < n_aliases; i++) {
		r = find_by_name_key(s, akeys[i], &found, err);
		if (r < 0)
			return -1;
		if (r == 0 || found == target)
			continue;
		if (target == 0) {
			target = found;
			continue;
		}
		char *other = name_of(s, found);
		set_errc(err, ERR_CONFLICT, _("alias \"%s\" already belongs to platform \"%s\""),
			 aliases[i], other);
		free(other);
		return -ERR_CONFLICT;
	}
	for (size_t i = 0; i < n_doms; i++) {
		r = find_by_domain(s, doms[i], &found, err);
		if (r < 0)
			return -1;
		if (r == 0 || found == target)
			continue;
		if (target == 0) {
			target = found;
			continue;
		}
		char *other = name_of(s, found);
		set_errc(err, ERR_CONFLICT, _("domain %s already belongs to platform \"%s\""), doms[i],
			 other);
		free(other);
		return -ERR_CONFLICT;
	}

	sqlite3_stmt *st;
	*created = 0;
	if (target == 0) {
		if (!(st = stmt_get(s, SQL_PLATFORM_INSERT, err)))
			return -1;
		bind_text(st, 1, name);
		bind_text(st, 2, key);
		bind_i64(st, 3, now);
		if (stmt_run(s, st, "adding a platform", err) < 0)
			return -1;
		target = sqlite3_last_insert_rowid(s->db);
		*created = 1;
	} else {
		if (!(st = stmt_get(s, SQL_PLATFORM_RETRACK, err)))
			return -1;
		bind_i64(st, 1, target);
		if (stmt_run(s, st, "tracking a platform again", err) < 0)
			return -1;
		/* Another spelling reached an existing platform: remember it. */
		if (!name_known && insert_alias(s, target, name, key, err) < 0)
			return -1;
	}
	char *own_key = NULL;
	if (!(st = stmt_get(s, SQL_NAME_OF, err)))
		return -1;
	bind_i64(st, 1, target);
	if (stmt_step(s, st, "reading a platform", err) != 1)
		return set_err(err, "platform #%lld vanished", (long long)target);
	own_key = col_dup(st, 1);
	sqlite3_reset(st);
	for (size_t i = 0; i < n_aliases; i++) {
		if (strcmp(akeys[i], own_key) == 0)
			continue;
		if (insert_alias(s, target, aliases[i], akeys[i], err) < 0) {
			free(own_key);
			return -1;
		}
	}
	free(own_key);
	for (size_t i = 0; i < n_doms; i++) {
		/* Already the target's, maybe as its www spelling (an older
		 * database kept "www."): one domain, not two. */
		r = find_by_domain(s, doms[i], &found, err);
		if (r < 0)
			return -1;
		if (r == 1)
			continue;
		if (!(st = stmt_get(s, SQL_DOMAIN_INSERT, err)))
			return -1;
		bind_i64(st, 1, target);
		bind_text(st, 2, doms[i]);
		if (stmt_run(s, st, "adding a domain", err) < 0)
			return -1;
	}
	if (adopt_named_complaints(s, target, err) < 0)
		return -1;
	*id_out = target;
	return 0;
}

/* Adds or merges a platform; 0 or -1.  See store.h. */
int
store_platform_add(struct store *s, const char *name, const char *const *domains,
		   size_t n_domains, const char *const *aliases, size_t n_aliases, int64_t now,
		   int64_t *id_out, int *created, char *err)
{
	int rc = -1;
	char *key = name ? text_name_key(name) : NULL;
	char **doms = xcalloc(n_domains + 1, sizeof(*doms));
	char **akeys = xcalloc(n_aliases + 1, sizeof(*akeys));
	if (!key || !*key) {
		set_err(err, _("empty platform name"));
		goto out;
	}
	for (size_t i = 0; i < n_domains; i++) {
		if (!(doms[i] = host_site(domains[i]))) {
			set_err(err, _("not a domain: \"%s\""), domains[i] ? domains[i] : "");
			goto out;
		}
	}
	for (size_t i = 0; i < n_aliases; i++) {
		akeys[i] = aliases[i] ? text_name_key(aliases[i]) : NULL;
		if (!akeys[i] || !*akeys[i]) {
			set_err(err, _("empty alias"));
			goto out;
		}
	}
	struct tx t;
	if (tx_enter(s, &t, err) < 0)
		goto out;
	int64_t id = 0;
	int made = 0;
	int added = platform_add_tx(s, name, key, doms, n_domains, aliases, akeys, n_aliases, now,
				    &id, &made, err);
	if (tx_leave(s, &t, added == 0, err) == 0) {
		if (id_out)
			*id_out = id;
		if (created)
			*created = made;
		rc = 0;
	} else if (added < 0) {
		rc = added; /* its class: a conflict is the user's to resolve */
	}
out:
	free(key);
	store_strv_free(doms, n_domains);
	store_strv_free(akeys, n_aliases);
	return rc;
}

static const char SQL_PLATFORM_GET[] =
	"SELECT name, tracked, added_at, removed_at FROM platforms WHERE id = ?1";
static const char SQL_PLATFORM_DOMAINS[] =
	"SELECT domain FROM platform_domains WHERE platform_id = ?1 ORDER BY rowid";
static const char SQL_PLATFORM_ALIASES[] =
	"SELECT value FROM platform_names WHERE platform_id = ?1 AND kind = 'alias' ORDER BY rowid";

/* Reads a one-column string list; 0 or -1. */
static int
read_strings(struct store *s, const char *sql, int64_t id, char ***out, size_t *n, char *err)
{
	sqlite3_stmt *st = stmt_get(s, sql, err);
	if (!st)
		return -1;
	bind_i64(st, 1, id);
	size_t cap = 0;
	int r;
	while ((r = stmt_step(s, st, "reading a platform", err)) == 1) {
		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		(*out)[(*n)++] = col_dup(st, 0);
	}
	return r;
}

/* Fills *out; 0 or -1 (also for an unknown id). */
int
store_platform_get(struct store *s, int64_t id, struct platform *out, char *err)
{
	memset(out, 0, sizeof(*out));
	sqlite3_stmt *st = stmt_get(s, SQL_PLATFORM_GET, err);
	if (!st)
		return -1;
	bind_i64(st, 1, id);
	int r = stmt_step(s, st, "reading a platform", err);
	if (r < 0)
		return -1;
	if (r == 0)
		return set_err(err, "no platform #%lld", (long long)id);
	out->id = id;
	out->name = col_dup(st, 0);
	out->tracked = sqlite3_column_int(st, 1);
	out->added_at = sqlite3_column_int64(st, 2);
	out->removed_at = col_i64(st, 3, 0);
	sqlite3_reset(st);
	if (read_strings(s, SQL_PLATFORM_DOMAINS, id, &out->domains, &out->n_domains, err) < 0 ||
	    read_strings(s, SQL_PLATFORM_ALIASES, id, &out->aliases, &out->n_aliases, err) < 0) {
		platform_finish(out);
		return -1;
	}
	return 0;
}

/* Frees what p owns. */
void
platform_finish(struct platform *p)
{
	if (!p)
		return;
	free(p->name);
	store_strv_free(p->domains, p->n_domains);
	store_strv_free(p->aliases, p->n_aliases);
	memset(p, 0, sizeof(*p));
}

/* Finishes and frees a list; NULL ok. */
void
platform_list_free(struct platform *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++)
		platform_finish(&list[i]);
	free(list);
}

static const char SQL_PLATFORM_IDS[] =
	"SELECT id FROM platforms WHERE tracked = 1 OR ?1 ORDER BY name";

/* All (tracked) platforms by name; 0 or -1. */
int
store_platform_list(struct store *s, int include_untracked, struct platform **out, size_t *n,
		    char *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = stmt_get(s, SQL_PLATFORM_IDS, err);
	if (!st)
		return -1;
	bind_i64(st, 1, include_untracked ? 1 : 0);
	int64_t *ids = NULL;
	size_t n_ids = 0, cap = 0;
	int r;
	while ((r = stmt_step(s, st, "listing platforms", err)) == 1) {
		ids = xgrow(ids, &cap, n_ids + 1, sizeof(*ids));
		ids[n_ids++] = sqlite3_column_int64(st, 0);
	}
	if (r < 0) {
		free(ids);
		return -1;
	}
	struct platform *list = n_ids ? xcalloc(n_ids, sizeof(*list)) : NULL;
	for (size_t i = 0; i < n_ids; i++) {
		if (store_platform_get(s, ids[i], &list[i], err) < 0) {
			platform_list_free(list, i);
			free(ids);
			return -1;
		}
	}
	free(ids);
	*out = list;
	*n = n_ids;
	return 0;
}

static const char SQL_PLATFORM_REMOVE[] =
	"UPDATE platforms SET tracked = 0, removed_at = ?2 WHERE id = ?1 AND tracked = 1";

/* Untracks; 0, 1 not found, -1. */
int
store_platform_remove(struct store *s, const char *key, int64_t now, char *err)
{
	int64_t id;
	int r = store_platform_find(s, key, &id, err);
	if (r <= 0)
		return r < 0 ? -1 : 1;
	sqlite3_stmt *st = stmt_get(s, SQL_PLATFORM_REMOVE, err);
	if (!st)
		return -1;
	bind_i64(st, 1, id);
	bind_i64(st, 2, now);
	return stmt_run(s, st, "removing a platform", err);
}

static const char SQL_COMPLAINTS_UNMAP[] =
	"UPDATE complaints SET platform_id = NULL WHERE platform_id = ?1";
static const char SQL_PLATFORM_DELETE[] = "DELETE FROM platforms WHERE id = ?1";

/* 0 or -1; see store.h. */
int
store_platform_delete(struct store *s, int64_t id, char *err)
{
	struct tx t;
	if (tx_enter(s, &t, err) < 0)
		return -1;
	int ok = 0;
	sqlite3_stmt *st = stmt_get(s, SQL_COMPLAINTS_UNMAP, err);
	if (st) {
		bind_i64(st, 1, id);
		if (stmt_run(s, st, "forgetting a platform", err) == 0 &&
		    (st = stmt_get(s, SQL_PLATFORM_DELETE, err))) {
			bind_i64(st, 1, id);
			ok = stmt_run(s, st, "forgetting a platform", err) == 0;
		}
	}
	return tx_leave(s, &t, ok, err);
}

static const char SQL_DOMAIN_DELETE[] =
	"DELETE FROM platform_domains WHERE platform_id = ?1 AND domain IN (?2, ?3)";

/* 0, 1 not found, -1; see store.h. */
int
store_platform_remove_domain(struct store *s, int64_t id, const char *domain, char *err)
{
	char *d = host_site(domain);
	if (!d)
		return 1;
	char *alt = www_variant(d);
	sqlite3_stmt *st = stmt_get(s, SQL_DOMAIN_DELETE, err);
	int rc = -1;
	if (st) {
		bind_i64(st, 1, id);
		bind_text(st, 2, d);
		bind_text(st, 3, alt);
		rc = stmt_run(s, st, "removing a domain", err);
		if (rc == 0 && sqlite3_changes(s->db) == 0)
			rc = 1;
	}
	free(d);
	free(alt);
	return rc;
}

static const char SQL_ALIAS_DELETE[] =
	"DELETE FROM platform_names WHERE platform_id = ?1 AND kind = 'alias' AND key = ?2";

/* 0, 1 not found, -1; see store.h. */
int
store_platform_remove_alias(struct store *s, int64_t id, const char *alias, char *err)
{
	char *key = text_name_key(alias);
	sqlite3_stmt *st = stmt_get(s, SQL_ALIAS_DELETE, err);
	int rc = -1;
	if (st) {
		bind_i64(st, 1, id);
		bind_text(st, 2, key);
		rc = stmt_run(s, st, "removing an alias", err);
		if (rc == 0 && sqlite3_changes(s->db) == 0)
			rc = 1;
	}
	free(key);
	return rc;
}

static const char SQL_PLATFORM_RENAME[] =
	"UPDATE platforms SET name = ?2, name_key = ?3 WHERE id = ?1";

/* The rename inside a transaction. */
static int
rename_tx(struct store *s, int64_t id, const char *name, const char *key, char *err)
{
	int64_t owner;
	int r = find_by_name_key(s, key, &owner, err);
	if (r < 0)
		return -1;
	if (r == 1 && owner != id) {
		char *other = name_of(s, owner);
		set_errc(err, ERR_CONFLICT, _("the name \"%s\" already belongs to platform \"%s\""),
			 name, other);
		free(other);
		return -ERR_CONFLICT;
	}
	/* An alias of this platform becomes its name. */
	sqlite3_stmt *st = stmt_get(s, SQL_ALIAS_DELETE, err);
	if (!st)
		return -1;
	bind_i64(st, 1, id);
	bind_text(st, 2, key);
	if (stmt_run(s, st, "renaming a platform", err) < 0)
		return -1;
	if (!(st = stmt_get(s, SQL_PLATFORM_RENAME, err)))
		return -1;
	bind_i64(st, 1, id);
	bind_text(st, 2, name);
	bind_text(st, 3, key);
	if (stmt_run(s, st, "renaming a platform", err) < 0)
		return -1;
	return adopt_named_complaints(s, id, err) < 0 ? -1 : 0;
}

/* 0, -ERR_CONFLICT or -1; see store.h. */
int
store_platform_rename(struct store *s, int64_t id, const char *name, char *err)
{
	char *key = name ? text_name_key(name) : NULL;
	if (!key || !*key) {
		free(key);
		return set_err(err, _("empty platform name"));
	}
	struct tx t;
	int rc = -1;
	if (tx_enter(s, &t, err) == 0) {
		int done = rename_tx(s, id, name, key, err);
		if (tx_leave(s, &t, done == 0, err) == 0)
			rc = 0;
		else if (done < 0)
			rc = done;
	}
	free(key);
	return rc;
}

/* ---- merchants ---- */

static const char SQL_MERCHANT_SET[] =
	"INSERT INTO merchants (platform_id, source, merchant_id, name, pinned, discovered_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	" ON CONFLICT (source, merchant_id, platform_id) DO UPDATE SET"
	" name = coalesce(excluded.name, name), pinned = max(pinned, excluded.pinned)"
	" WHERE name IS NOT coalesce(excluded.name, name) OR pinned < excluded.pinned";

/* Maps a merchant to a platform; 0 or -1. */
int
store_merchant_set(struct store *s, int64_t platform_id, const char *source,
		   const char *merchant_id, const char *name, int pinned, int64_t now, char *err)
{
	if (!source || !merchant_id || !*merchant_id)
		return set_err(err, "merchant without a source or id");
	sqlite3_stmt *st = stmt_get(s, SQL_MERCHANT_SET, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	bind_text(st, 3, merchant_id);
	bind_text(st, 4, name);
	bind_i64(st, 5, pinned ? 1 : 0);
	bind_i64(st, 6, now);
	return stmt_run(s, st, "storing a merchant", err);
}

static const char SQL_MERCHANT_LIST[] =
	"SELECT merchant_id, name, pinned, discovered_at FROM merchants"
	" WHERE platform_id = ?1 AND (?2 IS NULL OR source = ?2)"
	" ORDER BY pinned DESC, discovered_at, merchant_id";

/* A platform's merchants; 0 or -1. */
int
store_merchant_list(struct store *s, int64_t platform_id, const char *source,
		    struct merchant_ref **out, size_t *n, char *err)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = stmt_get(s, SQL_MERCHANT_LIST, err);
	if (!st)
		return -1;
	bind_i64(st, 1, platform_id);
	bind_text(st, 2, source);
	size_t cap = 0;
	int r;
	while ((r = stmt_step(s, st, "listing merchants", err)) == 1) {
		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		struct merchant_ref *m = &(*out)[(*n)++];
		m->merchant_id = col_dup(st, 0);
		m->name = col_dup(st, 1);
		m->pinned = sqlite3_column_int(st, 2);
		m->discovered_at = sqlite3_column_int64(st, 3);
	}
	if (r < 0) {
		merchant_ref_list_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

/* Frees a merchant list; NULL ok. */
void
merchant_ref_list_free(struct merchant_ref *list, size_t n)
{
	if (!list)
		return;
	for (size_t i = 0; i < n; i++) {
		free(list[i].merchant_id);
		free(list[i].name);
	}
	free(list);
}

static const char SQL_MERCHANT_PLATFORM[] =
	"SELECT platform_id FROM merchants WHERE source = ?1 AND merchant_id = ?2"
	" ORDER BY pinned DESC, discovered_at, platform_id LIMIT 1";

/* 1 and *platform_id when mapped, 0, -1. */
int
store_merchant_platform(struct store *s, const char *source, const char *merchant_id,
			int64_t *platform_id, char *err)
{
	if (!source || !merchant_id)
		return 0;
	sqlite3_stmt *st = stmt_get(s, SQL_MERCHANT_PLATFORM, err);
	if (!st)
		return -1;
	bind_text(st, 1, source);
	bind_text(st, 2, merchant_id);
	int r = stmt_step(s, st, "looking up a merchant", err);
	if (r == 1) {
		*platform_id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return r;
}
